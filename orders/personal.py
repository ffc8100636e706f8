"""Orders in a person's data (accounts/personal_data.py). A paid order keeps its buyer's
name and CPF after the account is erased, for as long as fiscal law requires."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from accounts.personal_data import Section, register
from core.moments import moment
from orders.errors import OrdersInProgress
from orders.models import Order, OrderEvent, OrderLine

IN_PROGRESS = (
    Order.Status.PENDING_PAYMENT,
    Order.Status.PAID,
    Order.Status.PREPARING,
    Order.Status.SHIPPED,
)
# Sold: a fiscal document exists (a refund does not undo the sale's record).
SOLD = (Order.Status.DELIVERED, Order.Status.REFUNDED)


def _export(user: User) -> list[dict]:
    orders = user.orders.prefetch_related("lines", "events").order_by("pk")
    return [
        {
            "id": order.pk,
            "status": order.status,
            "source": order.source,
            "subtotal": str(order.subtotal),
            "discount": str(order.discount),
            "coupon_code": order.coupon_code,
            "shipping_price": str(order.shipping_price),
            "total": str(order.total),
            "shipping_address": order.shipping_address or None,
            "carrier": order.carrier,
            "tracking_code": order.tracking_code,
            "created_at": moment(order.created_at),
            "lines": [
                {
                    "product_name": line.product_name,
                    "sku": line.sku,
                    "unit_price": str(line.unit_price),
                    "quantity": line.quantity,
                    "line_total": str(line.line_total),
                }
                for line in order.lines.all()
            ],
            "events": [
                {"from_status": e.from_status or None, "to_status": e.to_status, "at": moment(e.at)}
                for e in order.events.all()
            ],
        }
        for order in orders
    ]


def _refuse(user: User) -> None:
    if user.orders.filter(status__in=IN_PROGRESS).exists():
        raise OrdersInProgress()


def _keep_the_fiscal_record(user: User) -> None:
    """Counted from each sale: an order past its retention keeps nothing. Where it was
    delivered goes with the account."""
    user.orders.exclude(shipping_address={}).update(shipping_address={})
    retention = timedelta(days=365 * settings.FISCAL_RETENTION_YEARS + 2)
    now = timezone.now()
    for order in user.orders.filter(status__in=SOLD):
        until = order.created_at + retention
        if until > now:
            order.buyer_name, order.buyer_cpf = user.get_full_name()[:301], user.cpf or ""
            order.fiscal_until = until
            order.save(update_fields=["buyer_name", "buyer_cpf", "fiscal_until"])


def fiscal_records_purge() -> int:
    """Erase the buyers' names and CPFs whose retention has run out; how many orders."""
    return Order.objects.filter(fiscal_until__lte=timezone.now()).update(
        buyer_name="", buyer_cpf="", fiscal_until=None
    )


register(
    Section(
        "orders",
        (Order, OrderLine, OrderEvent),
        export=_export,
        anonymise=_keep_the_fiscal_record,
        refuse_erasure=_refuse,
    )
)
