from datetime import datetime, timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from catalog.models import Product
from core.exceptions import ApplicationError
from flashsales.services import flash_sale_create


def _next_hour() -> datetime:
    now = timezone.localtime()
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


class Command(BaseCommand):
    help = (
        "Create a flash-sale campaign, e.g. 100 units at R$ 1.00 every hour for a day: "
        "create_flash_sale --product IPHONE15-128 --first-drop 2026-12-24T00:00"
    )

    def add_arguments(self, parser):
        parser.add_argument("--product", required=True, help="the product's SKU")
        parser.add_argument(
            "--first-drop",
            help="ISO date-time; without an offset, in the shop's time zone "
            "(default: the next full hour)",
        )
        parser.add_argument("--drops", type=int, default=24)
        parser.add_argument("--units", type=int, default=100, help="units per drop")
        parser.add_argument("--price", default="1.00")
        parser.add_argument("--interval", type=int, default=60, help="minutes between drops")
        parser.add_argument("--limit", type=int, default=1, help="units per customer per drop")
        parser.add_argument("--hold", type=int, default=10, help="minutes to pay a claim")

    def handle(self, *args, **options):
        try:
            product = Product.objects.get(sku=options["product"])
        except Product.DoesNotExist as exc:
            raise CommandError(f"No product with SKU {options['product']}.") from exc
        first = _next_hour()
        if options["first_drop"]:
            try:
                first = datetime.fromisoformat(options["first_drop"])
            except ValueError as exc:
                raise CommandError("--first-drop must be an ISO date-time.") from exc
            if timezone.is_naive(first):
                first = timezone.make_aware(first)  # the shop's TIME_ZONE
        try:
            sale = flash_sale_create(
                product=product,
                first_drop_at=first,
                price=Decimal(options["price"]),
                units_per_drop=options["units"],
                drops=options["drops"],
                drop_interval_minutes=options["interval"],
                per_customer_limit=options["limit"],
                hold_minutes=options["hold"],
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Flash sale {sale.pk}: {sale.drops} drops of {sale.units_per_drop} x {product.name} "
            f"at R$ {sale.price}, from {timezone.localtime(sale.first_drop_at):%Y-%m-%d %H:%M %Z} "
            f"every {sale.drop_interval_minutes} min."
        )
