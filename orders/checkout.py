"""An order's totals, shipping and coupon: the one place they are computed and set.

total = subtotal - discount + shipping_price, where the subtotal is the lines' sum (fixed
when the order is placed), the discount its coupon's and the shipping price its method's
for the goods after the discount (free above a value). A database CHECK holds them to it.

They are set by the purchase (in its transaction, on the order it just placed) and, while
the order awaits payment and no payment of it is under way, by its customer; payment
refuses an order with physical lines and no shipping. A coupon's uses are counted here,
under the coupon's row lock, so concurrent orders never take it past `max_uses`; an order
that is cancelled or expires, or trades its coupon for another, gives its use back.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from core.locks import lock, lock_one
from delivery.errors import (
    AddressNotFound,
    AddressRequired,
    CouponExhausted,
    CouponLimitReached,
    CouponNotForFlashSales,
    CouponUnknown,
    ShippingMethodNotFound,
    ShippingUnavailable,
)
from delivery.models import Address, Coupon, ShippingMethod
from delivery.services import coupon_check, coupon_normalize, shipping_methods_for
from orders.errors import NoShippingNeeded, OrderNotPending
from orders.models import Order
from orders.signals import order_repriced, order_repricing

ZERO = Decimal("0.00")
# Statuses in which an order no longer holds the coupon it carries (its use went back).
RELEASED = (Order.Status.CANCELLED, Order.Status.EXPIRED)
PRICED_FIELDS = [
    "discount",
    "shipping_price",
    "total",
    "coupon",
    "coupon_code",
    "shipping_method",
    "shipping_kind",
    "shipping_address",
    "updated_at",
]


@dataclass(frozen=True)
class Checkout:
    """What a purchase may choose with it: an address and a method, a coupon."""

    address_id: int | None = None
    shipping_method_id: int | None = None
    coupon: str | None = None

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.address_id, self.shipping_method_id, self.coupon))


def order_checkout(*, order: Order, customer: User, checkout: Checkout) -> None:
    """Apply a purchase's choices to the order it has just placed (in its transaction: no
    one else can see the order yet, so it needs no lock)."""
    if checkout.shipping_method_id is not None or checkout.address_id is not None:
        _set_shipping(order, customer, checkout.address_id, checkout.shipping_method_id)
    if checkout.coupon is not None:
        _set_coupon(order, checkout.coupon)
    _reprice(order)
    order.save(update_fields=PRICED_FIELDS)


@transaction.atomic
def order_set_shipping(
    *, order: Order, customer: User, shipping_method_id: int, address_id: int | None = None
) -> Order:
    """The customer picks (or changes) how the order reaches them."""
    locked = _lock_for_change(order)
    _set_shipping(locked, customer, address_id, shipping_method_id)
    _save_repriced(locked)
    return locked


@transaction.atomic
def order_set_coupon(*, order: Order, code: str | None) -> Order:
    """The customer applies a coupon, trades it for another, or (empty) removes it."""
    locked = _lock_for_change(order)
    _set_coupon(locked, code or "")
    _save_repriced(locked)
    return locked


def order_shipping_options(
    *, order: Order, customer: User, address_id: int | None
) -> list[tuple[ShippingMethod, Decimal]]:
    """The methods that can take the order to an address (`address_id`, else the one chosen,
    else the customer's default; pickup only with none), each at its price for the order."""
    if not order.needs_shipping:
        return []
    if address_id is not None:
        address = Address.objects.filter(pk=address_id, customer=customer).first()
        if address is None:
            raise AddressNotFound()
        state: str | None = address.state
    elif order.shipping_address:
        state = order.shipping_address["state"]
    else:
        state = (
            Address.objects.filter(customer=customer, is_default=True)
            .values_list("state", flat=True)
            .first()
        )
    return shipping_methods_for(state=state, goods=order.subtotal - order.discount)


def coupon_give_back(order: Order) -> None:
    """The order no longer holds its coupon (cancelled, expired): its use goes back."""
    if order.coupon_id is not None:
        lock_one(Coupon.objects, pk=order.coupon_id)
        Coupon.objects.filter(pk=order.coupon_id, uses__gt=0).update(uses=F("uses") - 1)


def _lock_for_change(order: Order) -> Order:
    locked = lock_one(Order.objects, pk=order.pk)
    if not locked.is_payable(timezone.now()):
        raise OrderNotPending(current_status=locked.status)
    # Refusals and the rows that follow the total come before a coupon's lock, so a popular
    # code is never held while someone else's row is awaited (a ticket's e-mail being sent).
    order_repricing.send(sender=Order, order=locked)
    return locked


def _save_repriced(locked: Order) -> None:
    _reprice(locked)
    locked.save(update_fields=PRICED_FIELDS)
    order_repriced.send(sender=Order, order=locked)  # the ticket takes the new total


def _reprice(order: Order) -> None:
    goods = order.subtotal - order.discount
    method = order.shipping_method
    order.shipping_price = ZERO if method is None else method.price_for(goods)
    order.total = goods + order.shipping_price


def _set_shipping(
    order: Order, customer: User, address_id: int | None, method_id: int | None
) -> None:
    if not order.needs_shipping:
        raise NoShippingNeeded()
    method = ShippingMethod.objects.filter(pk=method_id or 0, is_active=True).first()
    if method is None:
        raise ShippingMethodNotFound()
    address = None
    if method.kind == ShippingMethod.Kind.DELIVERY:
        if address_id is None:
            raise AddressRequired()
        address = Address.objects.filter(pk=address_id, customer=customer).first()
        if address is None:
            raise AddressNotFound()
        if not method.serves(address.state):
            raise ShippingUnavailable()
    order.shipping_method, order.shipping_kind = method, method.kind
    order.shipping_address = {} if address is None else address.snapshot()


def _set_coupon(order: Order, code: str) -> None:
    code = coupon_normalize(code)
    previous = order.coupon_id
    if not code:
        coupon = None
        if previous is not None:
            coupon_give_back(order)
    else:
        if order.source == Order.Source.FLASH_SALE:
            raise CouponNotForFlashSales()
        if previous is None:
            coupon = lock(Coupon.objects.filter(code=code)).first()
        else:  # the new coupon and the one it replaces, locked together in id order
            found = Coupon.objects.filter(code=code).values_list("pk", flat=True).first()
            if found == previous:
                return
            locked = lock(Coupon.objects.filter(pk__in={found or previous, previous}))
            coupon = {c.pk: c for c in locked}.get(found or 0)
        if coupon is None:
            raise CouponUnknown()
        coupon_check(coupon, subtotal=order.subtotal, now=timezone.now())
        if coupon.max_uses is not None and coupon.uses >= coupon.max_uses:
            raise CouponExhausted()
        if coupon.max_uses_per_customer is not None:
            used = (
                Order.objects.filter(customer_id=order.customer_id, coupon=coupon)
                .exclude(status__in=RELEASED)
                .exclude(pk=order.pk)
                .count()
            )
            if used >= coupon.max_uses_per_customer:
                raise CouponLimitReached()
        Coupon.objects.filter(pk=coupon.pk).update(uses=F("uses") + 1)
        if previous is not None:
            Coupon.objects.filter(pk=previous, uses__gt=0).update(uses=F("uses") - 1)
    order.coupon = coupon
    order.coupon_code = "" if coupon is None else coupon.code
    order.discount = ZERO if coupon is None else coupon.discount_for(order.subtotal)
