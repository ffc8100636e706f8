"""The demo logins for the home page, so that the storefront need not know the demo app."""

from django.conf import settings

from demo import accounts


def demo_logins(request) -> dict:
    # Demo passwords are public knowledge: shown only in the embedded mode.
    if not settings.EMBEDDED:
        return {}
    return {"demo_logins": [accounts.ADMIN, *accounts.CUSTOMERS]}
