"""Flash-sale writes: create and change sales, claim a unit, give units back, close a sale.

The database alone keeps a sale exact, with or without the Redis gate in front: a claim locks
the sale's row (`select_for_update`; on SQLite the IMMEDIATE transaction), checks and takes
the unit, and writes the claim and its order in that same transaction. Checks that can
refuse without a lock (sold out, not open, ended, limit) run first on a plain read, so a
crowd arriving after the last unit never queues on the lock.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext

from accounts.models import User
from catalog.models import Product
from catalog.stock import stock_lock, stock_release, stock_take
from core.exceptions import ApplicationError
from core.locks import lock, lock_one
from core.moments import moment
from flashsales import clock, gate
from flashsales.errors import (
    ClaimThrottled,
    InsufficientStock,
    LimitReached,
    NotOpen,
    SaleEnded,
    SaleHasClaims,
    SaleNeverOpens,
    SaleNotFound,
    SoldOut,
)
from flashsales.models import Claim, FlashSale
from flashsales.signals import flash_sale_changed
from orders.models import Order
from orders.services import LineToPlace, order_place

PLAN_FIELDS = {"product", "units_per_drop", "drops", "first_drop_at", "drop_interval_minutes"}


def _announce(sale_id: int, reason: str) -> None:
    """After the commit: the live figures changed (`claimed`, `paid`), or units came back
    or the plan changed (`returned`, `plan`, `closed`), which the gate must relearn."""
    transaction.on_commit(
        lambda: flash_sale_changed.send(sender=FlashSale, sale_id=sale_id, reason=reason)
    )


def _refuse_a_plan_in_the_past(sale: FlashSale) -> None:
    if sale.ends_at <= clock.now():
        raise SaleNeverOpens()


@transaction.atomic
def flash_sale_create(
    *,
    product: Product,
    first_drop_at: datetime,
    price: Decimal = Decimal("1.00"),
    units_per_drop: int = 100,
    drops: int = 24,
    drop_interval_minutes: int = 60,
    per_customer_limit: int = 1,
    hold_minutes: int = 10,
) -> FlashSale:
    """Create a sale and take all its units from the product's stock (400 if it lacks them)."""
    _refuse_a_plan_in_the_past(
        FlashSale(
            first_drop_at=first_drop_at, drops=drops, drop_interval_minutes=drop_interval_minutes
        )
    )
    total = units_per_drop * drops
    locked = stock_lock(product_ids=[product.pk])[product.pk]
    if locked.stock < total:
        raise InsufficientStock(
            gettext("The sale needs %(total)s units; the product has %(stock)s.")
            % {"total": total, "stock": locked.stock},
            stock=locked.stock,
            needed=total,
        )
    stock_take(lines=[(locked, total)])
    sale = FlashSale.objects.create(
        product=locked,
        price=price,
        units_per_drop=units_per_drop,
        drops=drops,
        first_drop_at=first_drop_at,
        drop_interval_minutes=drop_interval_minutes,
        per_customer_limit=per_customer_limit,
        hold_minutes=hold_minutes,
    )
    _announce(sale.pk, "plan")
    return sale


def _lock_sale(sale_id: int, queryset: QuerySet[FlashSale] | None = None) -> FlashSale:
    """The sale, locked; SaleNotFound if it was deleted since the caller read it."""
    try:
        return lock_one(FlashSale.objects if queryset is None else queryset, pk=sale_id)
    except FlashSale.DoesNotExist as exc:
        raise SaleNotFound() from exc


@transaction.atomic
def flash_sale_update(*, sale: FlashSale, **changes: Any) -> FlashSale:
    """Change a sale. Its plan (product, sizes, schedule) only while no one has claimed;
    a different number of units takes or gives back the difference in stock."""
    locked = _lock_sale(sale.pk)
    replanned = {k for k, v in changes.items() if getattr(locked, k) != v} & PLAN_FIELDS
    if replanned and locked.claims.exists():
        raise SaleHasClaims()
    if replanned and locked.closed_at is None:
        stock_release(lines=[(locked.product_id, locked.units_total)])  # the old plan's units
        locked.units_released = locked.units_taken = 0
    for name, value in changes.items():
        setattr(locked, name, value)
    if replanned & {"first_drop_at", "drops", "drop_interval_minutes"}:
        _refuse_a_plan_in_the_past(locked)
    if replanned and locked.closed_at is None:
        product = stock_lock(product_ids=[locked.product_id])[locked.product_id]
        if product.stock < locked.units_total:
            raise InsufficientStock(stock=product.stock, needed=locked.units_total)
        stock_take(lines=[(product, locked.units_total)])
    locked.save()
    _announce(locked.pk, "plan")
    return locked


@transaction.atomic
def flash_sale_delete(*, sale: FlashSale) -> None:
    """Delete a sale no one has claimed from; its units go back to the stock."""
    locked = _lock_sale(sale.pk)
    if locked.claims.exists():
        raise SaleHasClaims()
    if locked.closed_at is None:
        stock_release(lines=[(locked.product_id, locked.units_total)])
    locked.delete()
    _announce(sale.pk, "plan")


def claim_check(sale: FlashSale, *, now: datetime) -> int:
    """Refuse a claim the sale cannot take at `now` (not open, ended, sold out); else the drop."""
    drop = sale.current_drop(now)
    if now < sale.first_drop_at:
        raise NotOpen(opens_at=moment(sale.first_drop_at))
    if drop is None or sale.closed_at is not None:
        raise SaleEnded()
    if sale.remaining(now) <= 0:
        next_drop = sale.next_drop_at(now)
        raise SoldOut(next_drop_at=moment(next_drop))
    return drop


REFUSALS = {
    gate.Code.NOT_OPEN: NotOpen,
    gate.Code.ENDED: SaleEnded,
    gate.Code.SOLD_OUT: SoldOut,
    gate.Code.LIMIT: LimitReached,
}


def claim_refusal(verdict: gate.Verdict) -> ApplicationError | None:
    """The error a gate verdict answers with, or None when the claim may go on."""
    if verdict.code == gate.Code.THROTTLED:
        return ClaimThrottled(retry_after=verdict.retry_after)
    refusal = REFUSALS.get(verdict.code)
    return refusal() if refusal else None


def claim_through_gate(*, sale_id: int, customer: User, address: str, rates: bool = True) -> Claim:
    """Claim a unit: the Redis gate refuses what it can, the database decides the rest."""
    verdict = gate.admit(sale_id=sale_id, customer_id=customer.pk, address=address, rates=rates)
    refusal = claim_refusal(verdict)
    if refusal:
        raise refusal
    return claim_admitted(sale_id=sale_id, customer=customer, verdict=verdict)


def claim_admitted(*, sale_id: int, customer: User, verdict: gate.Verdict) -> Claim:
    """Write an admitted claim (or one the gate could not judge). The database wins: if it
    refuses, the gate takes its answer; if the write fails, the gate gets the unit back."""
    try:
        return claim_create(sale_id=sale_id, customer=customer)
    except BaseException as exc:
        if verdict.code == gate.Code.ADMIT:
            if isinstance(exc, SoldOut | LimitReached):
                gate.agree(
                    sale_id=sale_id, customer_id=customer.pk, verdict=verdict, refusal=exc.code
                )
            elif isinstance(exc, NotOpen | SaleEnded):
                gate.invalidate(sale_id=sale_id)  # the plan changed under it
            else:  # nothing was written: the unit and the slot go back
                gate.unadmit(sale_id=sale_id, customer_id=customer.pk, verdict=verdict)
        raise


def claim_create(*, sale_id: int, customer: User, now: datetime | None = None) -> Claim:
    """Hold one unit of the sale's open drop for the customer, on an order awaiting payment."""
    now = now or clock.now()
    sale = FlashSale.objects.select_related("product").filter(pk=sale_id).first()
    if sale is None:
        raise SaleNotFound()
    drop = claim_check(sale, now=now)
    held = Claim.objects.filter(sale_id=sale_id, drop=drop, customer=customer).count()
    if held >= sale.per_customer_limit:
        raise LimitReached()
    try:
        with transaction.atomic():
            return _claim_locked(sale_id=sale_id, customer=customer, now=now)
    except IntegrityError as exc:  # the same customer's claims raced for one slot
        raise LimitReached() from exc


def _claim_locked(*, sale_id: int, customer: User, now: datetime) -> Claim:
    sale = _lock_sale(sale_id, FlashSale.objects.select_related("product__event"))
    drop = claim_check(sale, now=now)
    held = Claim.objects.filter(sale=sale, drop=drop, customer=customer).count()
    if held >= sale.per_customer_limit:
        raise LimitReached()
    sale.units_released = max(sale.units_released, sale.released_by(now))
    sale.units_taken += 1
    sale.save(update_fields=["units_released", "units_taken", "updated_at"])
    order = order_place(
        customer=customer,
        lines=[LineToPlace(product=sale.product, quantity=1, unit_price=sale.price)],
        source=Order.Source.FLASH_SALE,
        hold=timedelta(minutes=sale.hold_minutes),
    )
    claim = Claim.objects.create(
        sale=sale, drop=drop, customer=customer, slot=held + 1, order=order
    )
    _announce(sale.pk, "claimed")
    return claim


def claim_follow_order(*, order: Order, to_status: str) -> None:
    """The claim's order changed status (inside its transaction): mark the claim, and give an
    unpaid unit back to its sale, or to the stock once the sale has closed."""
    claim = Claim.objects.filter(order=order).first()
    if claim is None:
        return
    if to_status == Order.Status.PAID and claim.status == Claim.Status.HELD:
        Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.PAID)
        _announce(claim.sale_id, "paid")
    elif to_status in (Order.Status.EXPIRED, Order.Status.CANCELLED):
        if claim.status != Claim.Status.HELD:
            return
        Claim.objects.filter(pk=claim.pk).update(status=to_status)
        sale = lock_one(FlashSale.objects, pk=claim.sale_id)
        if sale.closed_at is None:
            sale.units_taken -= 1
            sale.save(update_fields=["units_taken", "updated_at"])
        else:
            stock_release(lines=[(sale.product_id, 1)])
        _announce(sale.pk, "returned")


def flash_sales_close(*, now: datetime | None = None) -> int:
    """Give the unsold units of every ended sale back to the stock, once; return how many sales."""
    now = now or clock.now()
    closed = 0
    for sale in FlashSale.objects.filter(closed_at=None):
        if now < sale.ends_at:
            continue
        with transaction.atomic():
            locked = lock(FlashSale.objects.filter(pk=sale.pk)).first()
            if locked is None or locked.closed_at is not None:  # deleted, or closed meanwhile
                continue
            stock_release(lines=[(locked.product_id, locked.units_total - locked.units_taken)])
            locked.closed_at = now
            locked.save(update_fields=["closed_at", "updated_at"])
            _announce(locked.pk, "closed")
        closed += 1
    return closed
