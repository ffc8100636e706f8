"""Order writes: creation from bought lines, and every status change through one function."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from catalog.models import Product
from catalog.stock import stock_release
from config.exceptions import Conflict
from orders.models import Order, OrderEvent, OrderLine
from orders.signals import order_status_changed

S = Order.Status

# The legal transitions. The payment and lifecycle issues add to this table, not to callers.
TRANSITIONS: dict[str, set[str]] = {
    S.PENDING_PAYMENT: {S.PAID, S.CANCELLED, S.EXPIRED},
    S.PAID: {S.PREPARING, S.REFUNDED},
    S.PREPARING: {S.SHIPPED},
    S.SHIPPED: {S.DELIVERED},
}
# Leaving pending_payment this way means the units were never paid for: they go back on sale.
RESTOCKING = {(S.PENDING_PAYMENT, S.CANCELLED), (S.PENDING_PAYMENT, S.EXPIRED)}


class IllegalTransition(Conflict):
    code = "illegal_transition"
    message = "The order cannot move to that status from its current one."


@dataclass(frozen=True)
class LineToPlace:
    """A product sold on an order, at the price this sale charges (the catalog's, or a sale's)."""

    product: Product
    quantity: int
    unit_price: Decimal


def order_place(*, customer, lines: Iterable[LineToPlace], source: str) -> Order:
    """Create an order awaiting payment for lines whose stock the caller already took.

    The one way to place an order: a cart purchase and a flash-sale claim both come here,
    each with its own prices. Name, SKU and price are copied, so the order keeps what the
    customer saw.
    """
    lines = list(lines)
    total = sum((line.unit_price * line.quantity for line in lines), Decimal("0.00"))
    order = Order.objects.create(customer=customer, total=total, source=source)
    OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                product=line.product,
                product_name=line.product.name,
                sku=line.product.sku,
                unit_price=line.unit_price,
                quantity=line.quantity,
                line_total=line.unit_price * line.quantity,
            )
            for line in lines
        ]
    )
    _record(order=order, from_status="", to_status=order.status, by=customer)
    return order


@transaction.atomic
def order_transition(*, order: Order, to: str, by=None) -> Order:
    """Move an order to another status if the table allows it; record and announce the change."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    current = locked.status
    if to not in TRANSITIONS.get(current, set()):
        raise IllegalTransition(
            f"An order that is {current} cannot become {to}.", current_status=current
        )
    if (current, to) in RESTOCKING:
        stock_release(lines=locked.lines.values_list("product_id", "quantity"))
    locked.status = to
    locked.save(update_fields=["status", "updated_at"])
    _record(order=locked, from_status=current, to_status=to, by=by)
    return locked


def _record(*, order: Order, from_status: str, to_status: str, by) -> None:
    OrderEvent.objects.create(order=order, from_status=from_status, to_status=to_status, by=by)
    transaction.on_commit(
        lambda: order_status_changed.send(
            sender=Order, order=order, from_status=from_status, to_status=to_status, by=by
        )
    )
