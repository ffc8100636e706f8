from django.contrib.admin.apps import AdminConfig


class ShopAdminConfig(AdminConfig):
    """Django's admin, whose site asks administrators for their second factor."""

    default_site = "accounts.admin_site.ShopAdminSite"
