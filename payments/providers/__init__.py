"""The payment provider adapters, chosen by PAYMENT_PROVIDER (settings are the factory)."""

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from payments.providers.base import Provider

PROVIDERS = {
    "sandbox": "payments.providers.sandbox.SandboxProvider",
    "mercadopago": "payments.providers.mercadopago.MercadoPagoProvider",
}


def get_provider(name: str | None = None) -> Provider:
    """The adapter for `name`, by default the one PAYMENT_PROVIDER names."""
    return _provider(name or settings.PAYMENT_PROVIDER)


@cache
def _provider(name: str) -> Provider:
    from django.utils.module_loading import import_string

    if name not in PROVIDERS:
        raise ImproperlyConfigured(f"PAYMENT_PROVIDER must be one of {sorted(PROVIDERS)}.")
    return import_string(PROVIDERS[name])()
