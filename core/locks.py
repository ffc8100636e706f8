"""Row locks: every `SELECT ... FOR UPDATE` in the shop goes through here.

Two transactions that lock the same rows in different orders can deadlock; PostgreSQL then
kills one of them. So every transaction takes its locks in one order:

- across tables, in `LOCK_ORDER` (a guest adopted before their orders, a cart before the
  order it becomes, an order before its flash sale and its payment, products and then a
  coupon last);
- within a table, in primary-key order.

A lock outside a transaction is refused: autocommit would release it with the SELECT that
took it. Taking a table after a later one in the same transaction is refused too, unless
that table is already locked there (re-reading a row one holds waits for no one). Both are
programming errors, raised as such, so a test that runs the path finds them.

On SQLite, which has no row locks, the IMMEDIATE transaction holds the database's write
lock; the order checks run all the same.
"""

from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Manager, Model, QuerySet

from core.internals import outermost_atomic

M = TypeVar("M", bound=Model)

# App label and model name, as `Model._meta.label_lower` writes them.
LOCK_ORDER = (
    "accounts.user",
    "carts.cart",
    "orders.order",
    "flashsales.flashsale",
    "payments.payment",
    "tickets.ticket",
    "tickets.admission",
    "catalog.product",
    "delivery.coupon",  # counted last in a purchase, so a popular code is held briefly
    "accounts.accountmail",  # locked alone, while it is sent (core/mail.py)
)
_RANK = {label: rank for rank, label in enumerate(LOCK_ORDER)}


class LockOutsideTransaction(RuntimeError):
    pass


class LockOrderViolated(RuntimeError):
    pass


def lock(queryset: QuerySet[M] | Manager[M]) -> QuerySet[M]:
    """`queryset`'s rows locked (its own table's rows only, not the joined ones), in pk order."""
    model = queryset.model
    _check(model, router.db_for_write(model))
    return queryset.select_for_update(of=("self",)).order_by("pk")


def lock_one(queryset: QuerySet[M] | Manager[M], **lookup: Any) -> M:
    """The one row of `queryset` matching `lookup`, locked; DoesNotExist if there is none."""
    return lock(queryset).get(**lookup)


def _check(model: type[Model], alias: str) -> None:
    connection = connections[alias]
    outermost = outermost_atomic(connection)
    if outermost is None:
        raise LockOutsideTransaction(f"Locking {model._meta.label} outside a transaction.")
    label = model._meta.label_lower
    if label not in _RANK:
        raise LockOrderViolated(f"{model._meta.label} has no place in core.locks.LOCK_ORDER.")
    trail: tuple[object, set[str]] | None = getattr(connection, "_shop_lock_trail", None)
    if trail is None or trail[0] is not outermost:
        trail = (outermost, set())
        connection._shop_lock_trail = trail  # type: ignore[attr-defined]
    held = trail[1]
    later = [other for other in held if _RANK[other] > _RANK[label]]
    if later and label not in held:
        raise LockOrderViolated(f"{label} locked after {', '.join(sorted(later))}.")
    held.add(label)
