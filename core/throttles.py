from django.conf import settings
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from core.addresses import request_client_address


class _SettingsRates:
    """Rates read from settings on every request, and the client address of core/addresses.

    DRF copies the rates once at import, so a rate set later (tests, a reloaded
    configuration) would otherwise be ignored. Counters live in the default cache:
    Redis when REDIS_URL is set, so every worker shares them.
    """

    @property
    def THROTTLE_RATES(self) -> dict:  # noqa: N802 - DRF's attribute name
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]

    def get_ident(self, request) -> str:
        return request_client_address(request)


class ScopedThrottle(_SettingsRates, ScopedRateThrottle):
    """DRF's ScopedRateThrottle (`throttle_scope` on the view) with the rules above."""


class CustomerThrottle(_SettingsRates, SimpleRateThrottle):
    """Counts a signed-in customer's requests, wherever they come from (scope `claim`)."""

    scope = "claim"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AddressThrottle(_SettingsRates, SimpleRateThrottle):
    """Counts a client address's requests, whoever signs them (scope `claim_address`): many
    accounts behind one bot still share one budget. The address is the one the trusted
    proxy reports (NUM_PROXIES)."""

    scope = "claim_address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
