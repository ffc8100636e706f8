"""Catalog writes. Stock is written by catalog.stock only, never by a whole-row save, so an
edit of a product's price or name cannot undo a purchase that ran meanwhile."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Model, ProtectedError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from catalog.cache import catalog_changed
from catalog.errors import CategoryInUse
from catalog.models import Category, Event, Product
from catalog.stock import stock_set
from core.internals import forget_related


def _slug_for(model: type[Model], name: str) -> str:
    """Return a free slug derived from the name: "camiseta", then "camiseta-2", ..."""
    base = slugify(name)[:200] or "item"
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _save_new(instance: Model) -> None:
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:  # lost a race on a unique field
        raise ValidationError(_("An item with this slug or SKU already exists.")) from exc


def category_create(*, name: str, slug: str = "") -> Category:
    category = Category(name=name, slug=slug or _slug_for(Category, name))
    _save_new(category)
    catalog_changed()
    return category


def category_update(*, category: Category, **fields: Any) -> Category:
    for name, value in fields.items():
        setattr(category, name, value)
    category.full_clean()
    category.save()
    catalog_changed()
    return category


def category_delete(*, category: Category) -> None:
    try:
        category.delete()
    except ProtectedError as exc:
        raise CategoryInUse() from exc
    catalog_changed()


def product_create(
    *,
    name: str,
    sku: str,
    price: Decimal,
    category: Category,
    stock: int = 0,
    description: str = "",
    slug: str = "",
    is_active: bool = True,
    image: File | None = None,
    event: dict | None = None,
) -> Product:
    """Create a product; with `event` ({starts_at, ends_at?, venue}) it is an event, whose
    stock is its capacity."""
    product = Product(
        name=name,
        slug=slug or _slug_for(Product, name),
        sku=sku,
        price=price,
        category=category,
        stock=stock,
        description=description,
        is_active=is_active,
        image=image or "",
    )
    with transaction.atomic():
        _save_new(product)
        if event is not None:
            _event_set(product, event)
    catalog_changed()
    return product


def _event_set(product: Product, event: dict | None) -> None:
    """Make the product an event with this part, or (None) an ordinary product again."""
    if event is None:
        Event.objects.filter(product=product).delete()
        forget_related(product, "event")  # read again: none
        return
    part = Event(product=product, **{"ends_at": None, **event})
    part.full_clean(validate_unique=False)  # the product's own part: created or replaced
    part.save()
    product.event = part


@transaction.atomic
def product_update(*, product: Product, stock_seen: int | None = None, **fields: Any) -> Product:
    """Change a product's fields.

    `stock` sets the stock; with `stock_seen` (what an editor's form showed) it is applied
    as the difference from that, floored at 0, so units sold while the form was open stay sold.
    `event` replaces the event part ({starts_at, ends_at?, venue}), or None removes it.
    """
    stock = fields.pop("stock", None)
    event = fields.pop("event", ...)
    for name, value in fields.items():
        setattr(product, name, value)
    if stock is not None:
        product.stock = stock  # validated with the rest, written by catalog.stock
    product.full_clean()
    if fields:
        product.save(update_fields=[*fields, "updated_at"])
    if stock is not None:
        stock_set(product=product, stock=stock, stock_seen=stock_seen)
    if event is not ...:
        _event_set(product, event)
    catalog_changed()
    return product


def product_set_active(*, product: Product, active: bool) -> Product:
    """Archive (hide from the shop) or re-activate a product."""
    return product_update(product=product, is_active=active)


def product_delete(*, product: Product) -> Product | None:
    """Delete a product nothing refers to; archive one with history instead.

    Return the archived product, or None when it was deleted. Records that keep history
    (order lines) protect their product, which is how "has history" is decided.
    """
    try:
        product.delete()  # refused before any row is touched when something protects it
    except ProtectedError:
        return product_set_active(product=product, active=False)
    catalog_changed()
    return None
