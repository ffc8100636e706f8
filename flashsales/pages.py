"""The public page of a flash sale: product, price, countdown, remaining units live, claim."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from flashsales import clock
from flashsales.models import FlashSale


@ensure_csrf_cookie
def sale_page(request, sale_id: int):
    sale = FlashSale.objects.select_related("product").filter(pk=sale_id).first()
    if sale is None:
        raise Http404("No such flash sale.")
    now = clock.now()
    user = request.user
    context = {
        "sale": sale,
        "status": sale.status(now),
        "remaining": sale.remaining(now),
        "next_drop_at": sale.next_drop_at(now),
        "signed_in": user.is_authenticated,
        "can_claim": user.is_authenticated and user.is_customer,
    }
    return render(request, "flashsales/sale.html", context)
