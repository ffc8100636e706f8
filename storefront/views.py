"""`GET /`: what the shop is, and where to go from here."""

from django.shortcuts import render

from flashsales import clock
from flashsales.selectors import flash_sale_featured


def home_page(request):
    # The demo logins, where the demo app is installed, come from its context processor.
    context = {"sale": flash_sale_featured(now=clock.now())}
    return render(request, "storefront/home.html", context)
