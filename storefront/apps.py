from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    """The customer's pages, over the other apps' services and selectors."""

    name = "storefront"
