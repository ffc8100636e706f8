from django.conf import settings
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from core.addresses import request_client_address


class _SettingsRates:
    """Rates read from settings on every request, and the client address of core/addresses.

    DRF copies the rates once at import, so a rate set later (tests, a reloaded
    configuration) would otherwise be ignored. Counters live in the default cache:
    Redis when REDIS_URL is set, so every worker shares them.
    """

    def __init__(self) -> None:
        self.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        super().__init__()

    def get_ident(self, request) -> str:
        return request_client_address(request)


class _AtomicWindow(SimpleRateThrottle):
    """DRF's rate counted by one atomic increment per window instead of its request history.

    DRF reads a client's history, appends, and writes it back: two workers reading at once
    both admit the last request a rate allows (a sixth login of five). Written here because
    DRF has no atomic throttle and django-ratelimit does not plug into DRF's throttles. The
    window opens at a client's first request, as the flash-sale gate's does in Redis.
    """

    num_requests: int  # set by DRF from the rate
    duration: int

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now, opened_key, used_key = self.timer(), f"{self.key}:opened", f"{self.key}:used"
        self.cache.add(opened_key, now, timeout=self.duration)
        self.cache.add(used_key, 0, timeout=self.duration)
        try:
            used = self.cache.incr(used_key)
        except ValueError:  # the window closed between the two calls: this opens the next
            used = 1
            self.cache.set(used_key, used, timeout=self.duration)
        opened = self.cache.get(opened_key, now)
        self.retry_in = max(opened + self.duration - now, 0.0)
        return used <= self.num_requests

    def wait(self) -> float:
        return self.retry_in


class ScopedThrottle(_SettingsRates, ScopedRateThrottle, _AtomicWindow):
    """DRF's ScopedRateThrottle (`throttle_scope` on the view) with the rules above."""


class CustomerThrottle(_SettingsRates, _AtomicWindow):
    """Counts a signed-in customer's requests, wherever they come from (scope `claim`)."""

    scope = "claim"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AddressThrottle(_SettingsRates, _AtomicWindow):
    """Counts a client address's requests, whoever signs them (scope `claim_address`): many
    accounts behind one bot still share one budget. The address is the one the trusted
    proxy reports (NUM_PROXIES)."""

    scope = "claim_address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def scope_rate(scope: str) -> tuple[int, int] | None:
    """A scope's rate as DRF reads it, (requests, seconds); None when it has none (no limit),
    for a caller counting outside DRF (the flash-sale gate, in Redis)."""
    throttle = ScopedThrottle()  # no view: the rate is looked up here instead
    requests, seconds = throttle.parse_rate(throttle.THROTTLE_RATES.get(scope))
    return None if requests is None or seconds is None else (requests, seconds)
