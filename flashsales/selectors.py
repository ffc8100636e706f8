from django.db.models import QuerySet

from flashsales.models import Claim, FlashSale


def flash_sale_list() -> QuerySet[FlashSale]:
    return FlashSale.objects.select_related("product")


def claim_list(*, sale_id: int, customer) -> QuerySet[Claim]:
    """The caller's own claims on a sale."""
    return Claim.objects.filter(sale_id=sale_id, customer=customer).select_related("order")
