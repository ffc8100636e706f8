"""Order writes: creation from bought lines, and every status change through one function."""

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from catalog.models import Product, event_of
from catalog.stock import stock_release
from core.internals import evaluated_queryset, set_prefetched
from core.locks import lock_one
from core.metrics import ORDERS_PLACED
from delivery.tracking import TrackingRequired, tracking_clean
from orders.checkout import coupon_give_back
from orders.errors import IllegalTransition
from orders.models import Order, OrderEvent, OrderLine
from orders.signals import order_status_changed, order_status_moving

# The legal transitions: a new move is a new entry here, never a check in a caller.
TRANSITIONS: dict[str, set[str]] = {
    Order.Status.PENDING_PAYMENT: {Order.Status.PAID, Order.Status.CANCELLED, Order.Status.EXPIRED},
    Order.Status.PAID: {Order.Status.PREPARING, Order.Status.REFUNDED},
    Order.Status.PREPARING: {Order.Status.SHIPPED, Order.Status.DELIVERED},
    Order.Status.SHIPPED: {Order.Status.DELIVERED},
}
# Steps that depend on how the order travels: a delivery is shipped before it is delivered;
# a pickup order, or one with nothing to ship, is handed over without being shipped.
ONLY_FOR_DELIVERIES = {(Order.Status.PREPARING, Order.Status.SHIPPED)}
ONLY_FOR_HANDOVERS = {(Order.Status.PREPARING, Order.Status.DELIVERED)}
# Leaving pending_payment this way means the units were never paid for: they go back on sale.
RESTOCKING = {
    (Order.Status.PENDING_PAYMENT, Order.Status.CANCELLED),
    (Order.Status.PENDING_PAYMENT, Order.Status.EXPIRED),
}


@dataclass(frozen=True)
class LineToPlace:
    """A product sold on an order, at the price this sale charges (the catalog's, or a sale's)."""

    product: Product
    quantity: int
    unit_price: Decimal


def order_place(
    *, customer: User, lines: Iterable[LineToPlace], source: str, hold: timedelta | None = None
) -> Order:
    """Create an order awaiting payment for lines whose stock the caller already took.

    The one way to place an order: a cart purchase and a flash-sale claim both come here,
    each with its own prices. Name, SKU and price are copied, so the order keeps what the
    customer saw. Unpaid, it expires after `hold` (ORDER_HOLD_MINUTES by default).
    """
    lines = list(lines)
    subtotal = sum((line.unit_price * line.quantity for line in lines), Decimal("0.00"))
    hold = hold if hold is not None else timedelta(minutes=settings.ORDER_HOLD_MINUTES)
    order = Order.objects.create(
        customer=customer,
        subtotal=subtotal,
        total=subtotal,  # until orders.checkout adds shipping and takes a discount off
        needs_shipping=any(event_of(line.product) is None for line in lines),
        source=source,
        expires_at=timezone.now() + hold,
    )
    order_lines = OrderLine.objects.bulk_create(
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
    event = _record(order=order, from_status="", to_status=order.status, by=customer)
    order.placed = (order_lines, event)  # for order_as_placed
    transaction.on_commit(ORDERS_PLACED.labels(source).inc)
    return order


def order_as_placed(order: Order) -> Order:
    """A copy of an order just placed whose relations are the objects in hand, so that its
    answer reads nothing back (every other list relation is empty: the order did not exist
    a moment ago). A copy: the order itself must not keep stale relations."""
    lines, event = order.placed
    answer = copy.copy(order)
    set_prefetched(
        answer,
        {
            name: evaluated_queryset(relation.related_model, [])
            for relation in Order._meta.related_objects
            if (name := relation.get_accessor_name())
            if relation.one_to_many
        }
        | {
            "lines": evaluated_queryset(OrderLine, lines),
            "events": evaluated_queryset(OrderEvent, [event]),
        },
    )
    return answer


@transaction.atomic
def order_transition(
    *, order: Order, to: str, by: User | None = None, tracking: tuple[str, str] | None = None
) -> Order:
    """Move an order to another status if the table allows it; record and announce the change.

    A delivery is shipped with its `tracking` (carrier, code), checked once the step is legal.
    """
    locked = lock_one(Order.objects, pk=order.pk)
    _check_step(locked, to)
    if to == Order.Status.SHIPPED:
        if tracking is None:
            raise TrackingRequired()
        locked.carrier, locked.tracking_code = tracking_clean(*tracking)
        locked.save(update_fields=["carrier", "tracking_code"])
    _apply_transition(locked, to=to, by=by)
    return locked


@transaction.atomic
def order_pay(*, order: Order) -> bool:
    """An approved payment arrived: mark the order paid if it can still be paid.

    Return False when it cannot (cancelled, expired, paid by another payment): the caller
    refunds that payment. An order whose hold has passed is expired here and now, whether
    or not the expiry task has run yet, so the outcome never depends on when it runs.
    """
    locked, now = lock_one(Order.objects, pk=order.pk), timezone.now()
    if locked.is_payable(now):
        _apply_transition(locked, to=Order.Status.PAID, by=None)
        return True
    if locked.status == Order.Status.PENDING_PAYMENT:  # and its hold is over
        _apply_transition(locked, to=Order.Status.EXPIRED, by=None)
    return False


def _check_step(locked: Order, to: str) -> None:
    current = locked.status
    if to not in TRANSITIONS.get(current, set()):
        raise IllegalTransition(
            gettext("An order that is %(current)s cannot become %(to)s.")
            % {"current": current, "to": to},
            current_status=current,
        )
    delivery = locked.shipping_kind == "delivery"
    if (current, to) in (ONLY_FOR_HANDOVERS if delivery else ONLY_FOR_DELIVERIES):
        if delivery:
            reason = gettext(
                "A delivery is shipped first; an order that is %(current)s cannot become %(to)s."
            )
        else:
            reason = gettext(
                "Nothing to ship: it is handed over; an order that is %(current)s cannot become %(to)s."
            )
        raise IllegalTransition(reason % {"current": current, "to": to}, current_status=current)


def _apply_transition(locked: Order, *, to: str, by: User | None) -> None:
    _check_step(locked, to)
    current = locked.status
    if (current, to) in RESTOCKING and locked.source == Order.Source.CART:
        # A claim's unit goes back to its flash sale instead (flashsales/receivers.py).
        stock_release(lines=locked.lines.values_list("product_id", "quantity"))
    locked.status = to
    locked.save(update_fields=["status", "updated_at"])
    order_status_moving.send(sender=Order, order=locked, from_status=current, to_status=to, by=by)
    if (current, to) in RESTOCKING:
        coupon_give_back(locked)  # after the sale's lock (core.locks.LOCK_ORDER)
    _record(order=locked, from_status=current, to_status=to, by=by)


# What an administrator may set by hand; paid, refunded and expired come from payments
# and from expiry, through their own services.
SET_BY_STAFF = {
    Order.Status.PREPARING,
    Order.Status.SHIPPED,
    Order.Status.DELIVERED,
    Order.Status.CANCELLED,
}


def order_cancel(*, order: Order, by: User | None) -> Order:
    """The customer gives up an order still awaiting payment; its stock goes back."""
    return order_transition(order=order, to=Order.Status.CANCELLED, by=by)


def order_set_status(
    *, order: Order, to: str, by: User | None, carrier: str = "", tracking_code: str = ""
) -> Order:
    """An administrator moves an order along its fulfilment (preparing, shipped, ...); a
    delivery is shipped with its carrier and tracking code."""
    if to not in SET_BY_STAFF:
        raise IllegalTransition(
            gettext("%(to)s is not set by hand; it follows from payments or expiry.") % {"to": to},
            current_status=order.status,
        )
    tracking = (carrier, tracking_code) if to == Order.Status.SHIPPED else None
    return order_transition(order=order, to=to, by=by, tracking=tracking)


def orders_expire(*, now: datetime | None = None) -> int:
    """Expire every order whose hold has passed unpaid; return how many this call expired.

    Safe to run at any time and in parallel (a beat task, the embedded scheduler, two
    workers): each order is expired under its row lock, once; one that was paid or
    cancelled meanwhile is left alone.
    """
    due = Order.objects.filter(
        status=Order.Status.PENDING_PAYMENT, expires_at__lte=now or timezone.now()
    ).values_list("pk", flat=True)
    expired = 0
    for pk in list(due):
        try:
            order_transition(order=Order(pk=pk), to=Order.Status.EXPIRED)
        except IllegalTransition:
            continue  # paid, cancelled or expired by someone else first
        expired += 1
    return expired


def _record(*, order: Order, from_status: str, to_status: str, by: User | None) -> OrderEvent:
    event = OrderEvent.objects.create(
        order=order, from_status=from_status, to_status=to_status, by=by
    )
    transaction.on_commit(
        lambda: order_status_changed.send(
            sender=Order, order=order, from_status=from_status, to_status=to_status, by=by
        )
    )
    return event
