from datetime import datetime

from django.db.models import QuerySet

from accounts.models import User
from flashsales.models import Claim, FlashSale


def flash_sale_list() -> QuerySet[FlashSale]:
    return FlashSale.objects.select_related("product")


def claim_list(*, sale_id: int, customer: User) -> QuerySet[Claim]:
    """The caller's own claims on a sale."""
    return Claim.objects.filter(sale_id=sale_id, customer=customer).select_related("order")


def flash_sale_featured(*, now: datetime) -> FlashSale | None:
    """The sale a visitor should see: open now, else the earliest not yet over. Only sales
    not yet closed are read (beat closes each within a minute of its end)."""
    first_not_over = None
    for sale in flash_sale_list().filter(closed_at=None).order_by("first_drop_at", "id"):
        status = sale.figures(now).status
        if status == FlashSale.Status.OPEN:
            return sale
        if status != FlashSale.Status.ENDED and first_not_over is None:
            first_not_over = sale
    return first_not_over
