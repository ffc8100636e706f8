"""Orders placed before shipping existed: those with physical lines need shipping too. One
still awaiting payment chooses it before paying; one already paid ships as a delivery (with
its carrier and tracking code), as every physical order did before."""

from django.db import migrations
from django.db.models import Exists, OuterRef

SETTLED = ["pending_payment", "cancelled", "expired"]


def backfill(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    OrderLine = apps.get_model("orders", "OrderLine")
    physical = OrderLine.objects.filter(order=OuterRef("pk"), product__event__isnull=True)
    Order.objects.filter(Exists(physical)).update(needs_shipping=True)
    Order.objects.filter(needs_shipping=True, shipping_kind="").exclude(
        status__in=SETTLED
    ).update(shipping_kind="delivery")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_event"),
        ("orders", "0005_order_totals_shipping"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
