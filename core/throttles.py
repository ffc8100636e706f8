import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
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


def clock() -> float:
    """The moment throttles count at (tests pin it to the middle of a window)."""
    return time.time()


def window_count(key: str, duration: int, now: float) -> tuple[int, int]:
    """Count a hit on `key` in its clock-aligned window of `duration` seconds: the hits so far
    in the window holding `now`, and the whole seconds until that window closes (at least 1;
    the flash-sale gate's Lua computes the same).

    A fixed window: a client can spend a rate at the end of one window and again at the start
    of the next (twice the rate across an edge), and a refused hit counts too. The window's
    number is in the key and the key outlives its window, so it never expires while counted:
    Django's `incr` (EXISTS, then INCR, in Redis) never recreates a counter without a lifetime.
    """
    window = int(now // duration)
    key, lifetime = f"{key}:{window}", duration + 60
    cache.add(key, 0, timeout=lifetime)
    try:
        used = cache.incr(key)
    except ValueError:  # evicted (memory pressure, a flush) between the two calls
        cache.set(key, used := 1, timeout=lifetime)
    return used, max(math.ceil((window + 1) * duration - now), 1)


class _AtomicWindow(SimpleRateThrottle):
    """DRF's rate counted by window_count, one atomic increment, instead of DRF's history.

    DRF reads a client's history, appends, and writes it back: two workers reading at once
    both admit the last request a rate allows (a sixth login of five). Written here because
    DRF has no atomic throttle and django-ratelimit does not plug into DRF's throttles.
    """

    num_requests: int  # set by DRF from the rate
    duration: int

    def allow_request(self, request, view) -> bool:
        if not self.rate:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        used, self.retry_in = window_count(self.key, self.duration, clock())
        return used <= self.num_requests

    def wait(self) -> float:
        return self.retry_in

    def parse_rate(self, rate):
        return super().parse_rate(rate or None)  # an empty rate (THROTTLE_CLAIM=) is no limit


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


class FieldThrottle(_SettingsRates, ScopedRateThrottle, _AtomicWindow):
    """Counts the requests that name one value of a body field (`throttle_field` on the
    view, e.g. an e-mail address), whoever sends them, under `throttle_scope`'s rate: one
    address asked about from many clients still shares one budget."""

    def get_cache_key(self, request, view):
        value = request.data.get(view.throttle_field) if hasattr(request.data, "get") else None
        if not isinstance(value, str) or not value.strip():
            return None  # the serializer refuses it
        return field_key(view.throttle_scope, view.throttle_field, value)


def field_key(scope: str, field: str, value: str) -> str:
    """The counter of one value of a body field under a scope (FieldThrottle, rate_allows)."""
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"throttle_{scope}_{field}_{digest}"


def rate_allows(scope: str, *, address: str, field: str, value: str) -> bool:
    """For a door that is not a DRF view (a page's form): count one hit for the client
    address and one for the field's value on the very counters ScopedThrottle and
    FieldThrottle keep for `scope`, so the page and the API share one budget."""
    rate = scope_rate(scope)
    if rate is None:
        return True
    requests, seconds = rate
    by_address = SimpleRateThrottle.cache_format % {"scope": scope, "ident": address}
    allowed = True
    for key in (by_address, field_key(scope, field, value)):
        used, _ = window_count(key, seconds, clock())
        allowed = allowed and used <= requests
    return allowed


def scope_rate(scope: str) -> tuple[int, int] | None:
    """A scope's rate as DRF reads it, (requests, seconds); None when it has none (no limit),
    for a caller counting outside DRF (the flash-sale gate, in Redis)."""
    throttle = ScopedThrottle()  # no view: the rate is looked up here instead
    requests, seconds = throttle.parse_rate(throttle.THROTTLE_RATES.get(scope))
    return None if requests is None or seconds is None else (requests, seconds)
