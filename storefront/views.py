"""`GET /`: what the shop is, and where to go from here."""

from django.shortcuts import render

from flashsales import clock
from flashsales.models import FlashSale


def _live_flash_sale(now):
    """The sale a visitor should see: open now, else the next to open."""
    sales = [sale for sale in FlashSale.objects.select_related("product").order_by("first_drop_at")
             if sale.status(now) != FlashSale.Status.ENDED]  # fmt: skip
    open_now = [sale for sale in sales if sale.status(now) == FlashSale.Status.OPEN]
    return (open_now or sales or [None])[0]


def home_page(request):
    # The demo logins, where the demo app is installed, come from its context processor.
    context = {"sale": _live_flash_sale(clock.now())}
    return render(request, "storefront/home.html", context)
