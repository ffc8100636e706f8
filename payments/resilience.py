"""Every call to a payment provider goes through `call`: retried with backoff, behind a breaker.

stamina retries what failed in passing (timeouts, 5xx, 423, 429); the provider's idempotency
key makes a retried charge or refund the same charge or refund. pybreaker opens the circuit
after PAYMENT_BREAKER_FAILURES calls in a row fail that way: while it is open the shop
answers 503 `provider_unavailable` at once instead of making customers wait on timeouts.
Refusals (a bad token, an unknown payment) are answers, not failures: neither retried nor
counted. The breaker's state is per process, which is enough to shed load from a dead
provider; each worker finds out on its own.
"""

from collections.abc import Callable
from typing import TypeVar

import pybreaker
import stamina
from django.conf import settings

from payments.providers.base import ProviderDown, ProviderUnavailable

T = TypeVar("T")

breaker = pybreaker.CircuitBreaker(
    fail_max=settings.PAYMENT_BREAKER_FAILURES,
    reset_timeout=settings.PAYMENT_BREAKER_RESET_SECONDS,
    exclude=[lambda exc: not isinstance(exc, ProviderDown)],
    name="payment-provider",
)


def call(fn: Callable[[], T]) -> T:
    """Run one provider call; ProviderUnavailable when it cannot be made to succeed."""
    try:
        for attempt in stamina.retry_context(
            on=ProviderDown,
            attempts=settings.PAYMENT_RETRY_ATTEMPTS,
            timeout=settings.PAYMENT_RETRY_SECONDS,
            wait_initial=0.1,
            wait_max=1.0,
            wait_jitter=0.1,
        ):
            with attempt:
                return breaker.call(fn)
    except (ProviderDown, pybreaker.CircuitBreakerError) as exc:
        raise ProviderUnavailable() from exc
    raise AssertionError("unreachable")  # pragma: no cover
