"""Every call to a payment provider goes through `call` (core.resilience's policy).

The provider's idempotency key makes a retried charge or refund the same charge or refund.
Refusals (a bad token, an unknown payment) are answers, not failures: neither retried nor
counted. While the circuit is open the shop answers 503 `provider_unavailable`.
"""

from core.resilience import Dependency
from payments.providers.base import ProviderUnavailable

provider = Dependency("payment-provider", prefix="PAYMENT", unavailable=ProviderUnavailable)
breaker = provider.breaker
call = provider.call
