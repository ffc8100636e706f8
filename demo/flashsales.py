"""The iPhone campaign: 24 hourly drops of 100 at R$ 1.00, the current hour's drop open now."""

from django.utils import timezone

from catalog.models import Product
from flashsales.errors import InsufficientStock
from flashsales.models import FlashSale
from flashsales.services import flash_sale_create, flash_sales_close


def seed() -> list[str]:
    product = Product.objects.get(sku="IPHONE15-128")
    flash_sales_close()  # yesterday's campaign gives its unsold units back first
    now = timezone.localtime()
    sale = FlashSale.objects.filter(product=product, closed_at=None).first()
    if sale is None:
        try:
            sale = flash_sale_create(
                product=product, first_drop_at=now.replace(minute=0, second=0, microsecond=0)
            )
        except InsufficientStock as exc:
            return [f"sale      no new iPhone campaign: {exc.message}"]
    return [
        f"sale      flash sale {sale.pk}: {sale.drops} drops of {sale.units_per_drop} x "
        f"{product.name} at R$ {sale.price}, {sale.figures(now).remaining} left in this drop"
    ]
