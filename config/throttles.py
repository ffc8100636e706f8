from django.conf import settings
from rest_framework.throttling import ScopedRateThrottle


class ScopedThrottle(ScopedRateThrottle):
    """ScopedRateThrottle that reads its rates from settings on every request.

    DRF copies the rates once at import, so a rate set later (tests, a reloaded
    configuration) would otherwise be ignored. Counters live in the default cache:
    Redis when REDIS_URL is set, so every worker shares them.
    """

    @property
    def THROTTLE_RATES(self) -> dict:  # noqa: N802 - DRF's attribute name
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
