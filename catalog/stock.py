"""Product stock: the one module that writes `Product.stock`.

Every sale takes units here and every unsold unit comes back here: a cart purchase, an
order cancelled or expired, an administrator's edit (and the flash sale's drops). Stock is
only ever written by UPDATEs with F() expressions on rows this transaction locked, never by a
whole-row save, so concurrent sales and edits never undo each other.
"""

from collections.abc import Iterable

from django.db.models import Case, F, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from catalog.models import Product
from core.locks import lock


def stock_lock(
    *, product_ids: Iterable[int], fields: Iterable[str] | None = None
) -> dict[int, Product]:
    """Lock the products' rows in id order (no deadlock between two callers); return them by id.

    Call inside a transaction. On SQLite the IMMEDIATE transaction holds the write lock.
    `fields` limits the columns read to what the caller needs.
    """
    # The event part comes along (an event that started is not for sale); only the
    # products' rows are locked.
    locked = lock(Product.objects.select_related("event").filter(pk__in=set(product_ids)))
    if fields is not None:
        locked = locked.only(*fields, "event__starts_at")
    return {product.pk: product for product in locked}


def stock_take(*, lines: Iterable[tuple[Product, int]]) -> None:
    """Take `quantity` units of each product, which the caller locked and checked has them.

    The CHECK constraint `stock >= 0` refuses anything else.
    """
    lines = sorted(lines, key=lambda line: line[0].pk)
    if not lines:
        return
    # One statement for every line: each row gets its own decrement (a CASE only when needed:
    # building it costs more than the UPDATE it saves for one line).
    if len(lines) == 1:
        decrement: Value | Case = Value(lines[0][1])
    else:
        decrement = Case(
            *(When(pk=product.pk, then=Value(quantity)) for product, quantity in lines)
        )
    Product.objects.filter(pk__in=[product.pk for product, _ in lines]).update(
        stock=F("stock") - decrement
    )
    for product, quantity in lines:
        product.stock -= quantity


def stock_release(*, lines: Iterable[tuple[int, int]]) -> None:
    """Put (product id, quantity) units back on sale, in product-id order."""
    for product_id, quantity in sorted(lines):
        Product.objects.filter(pk=product_id).update(stock=F("stock") + quantity)


def stock_set(*, product: Product, stock: int, stock_seen: int | None = None) -> None:
    """Set a product's stock, as an administrator's edit does.

    With `stock_seen` (what the editor's form showed) the edit is applied as the difference
    from that, floored at 0, so units sold while the form was open stay sold.
    """
    new_stock = stock if stock_seen is None else Greatest(F("stock") + (stock - stock_seen), 0)
    Product.objects.filter(pk=product.pk).update(stock=new_stock, updated_at=timezone.now())
    product.refresh_from_db(fields=["stock", "updated_at"])
