"""The public page of a flash sale: product, price, countdown, remaining units live, claim."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from accounts.permissions import is_registered_customer
from flashsales import clock
from flashsales.models import FlashSale


@ensure_csrf_cookie
def sale_page(request, sale_id: int):
    sale = FlashSale.objects.select_related("product").filter(pk=sale_id).first()
    if sale is None:
        raise Http404("No such flash sale.")
    figures = sale.figures(clock.now())
    user = request.user
    context = {
        "sale": sale,
        "status": figures.status,
        "remaining": figures.remaining,
        "next_drop_at": figures.next_drop_at,
        "signed_in": user.is_authenticated,
        "can_claim": is_registered_customer(user),
    }
    return render(request, "flashsales/sale.html", context)
