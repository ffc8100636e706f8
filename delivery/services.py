"""The address book, shipping methods and coupons: every write of them comes through here.

A coupon's `uses` is not written here: the orders that apply and give back a coupon count
them under its row lock (orders/checkout.py).
"""

from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.validators import normalize_phone_field
from core.locks import lock_one
from delivery.errors import (
    AddressLimit,
    CouponExpired,
    CouponInactive,
    CouponInUse,
    CouponMinSubtotal,
    ShippingMethodInUse,
)
from delivery.models import MAX_ADDRESSES, Address, Coupon, ShippingMethod

M = TypeVar("M", ShippingMethod, Coupon)


def normalize_cep(value: str) -> str:
    """A CEP typed as 01310-100 or 01310100, as its 8 digits; ValidationError otherwise."""
    digits = value.strip().replace("-", "").replace(".", "")
    if len(digits) != 8 or not (digits.isascii() and digits.isdigit()):
        message = _("Enter a CEP of 8 digits, e.g. 01310-100.")
        raise ValidationError({"cep": [ValidationError(message, code="invalid_cep")]})
    return digits


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    if "cep" in fields:
        fields["cep"] = normalize_cep(fields["cep"])
    if fields.get("phone"):
        fields["phone"] = normalize_phone_field(fields["phone"])
    return fields


@transaction.atomic
def address_create(*, customer: User, is_default: bool = False, **fields: Any) -> Address:
    """Add an address; the first one, or one asked to be, becomes the default."""
    lock_one(User.objects, pk=customer.pk)  # counts and the default under the owner's lock
    held = Address.objects.filter(customer=customer)
    if held.count() >= MAX_ADDRESSES:
        raise AddressLimit()
    is_default = is_default or not held.exists()
    if is_default:
        held.update(is_default=False)
    return Address.objects.create(customer=customer, is_default=is_default, **_clean(fields))


@transaction.atomic
def address_update(*, address: Address, **changes: Any) -> Address:
    lock_one(User.objects, pk=address.customer_id)
    address = Address.objects.get(pk=address.pk)
    if changes.pop("is_default", False):
        Address.objects.filter(customer_id=address.customer_id).update(is_default=False)
        address.is_default = True
    for name, value in _clean(changes).items():
        setattr(address, name, value)
    address.save()
    return address


@transaction.atomic
def address_delete(*, address: Address) -> None:
    """Remove an address; if it was the default, the oldest remaining one becomes it."""
    lock_one(User.objects, pk=address.customer_id)
    was_default = Address.objects.filter(pk=address.pk, is_default=True).exists()
    Address.objects.filter(pk=address.pk).delete()
    if was_default:
        first = Address.objects.filter(customer_id=address.customer_id).order_by("id").first()
        if first is not None:
            Address.objects.filter(pk=first.pk).update(is_default=True)


def _save(instance: M, fields: dict[str, Any]) -> M:
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


def _normalize_states(fields: dict[str, Any]) -> dict[str, Any]:
    if "states" in fields:
        fields["states"] = sorted(set(fields["states"]))
    return fields


def shipping_method_create(**fields: Any) -> ShippingMethod:
    return _save(ShippingMethod(), _normalize_states(fields))


def shipping_method_update(*, method: ShippingMethod, **fields: Any) -> ShippingMethod:
    return _save(method, _normalize_states(fields))


def shipping_method_delete(*, method: ShippingMethod) -> None:
    _delete_unused(method, ShippingMethodInUse)


def shipping_methods_for(
    *, state: str | None, goods: Decimal
) -> list[tuple[ShippingMethod, Decimal]]:
    """The active methods that serve `state` (pickup only, with no address), each with its
    price for goods worth `goods`."""
    return [
        (method, method.price_for(goods))
        for method in ShippingMethod.objects.filter(is_active=True)
        if method.serves(state)
    ]


def coupon_normalize(code: str) -> str:
    return code.strip().upper()


def coupon_create(**fields: Any) -> Coupon:
    fields["code"] = coupon_normalize(fields.get("code", ""))
    try:
        with transaction.atomic():
            return _save(Coupon(), fields)
    except IntegrityError as exc:  # the same code created twice at once
        message = _("A coupon with this code exists.")
        raise ValidationError({"code": [ValidationError(message, code="unique")]}) from exc


@transaction.atomic
def coupon_update(*, coupon: Coupon, **fields: Any) -> Coupon:
    """Change a coupon's terms; its uses, counted meanwhile by orders, are left as they are."""
    fields.pop("code", None)  # orders carry the code: it never changes
    locked = lock_one(Coupon.objects, pk=coupon.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save(update_fields=[*fields])
    return locked


def coupon_delete(*, coupon: Coupon) -> None:
    _delete_unused(coupon, CouponInUse)


def _delete_unused(instance: ShippingMethod | Coupon, in_use: type[Exception]) -> None:
    """Delete a row no order refers to. An order committed meanwhile (the check saw none)
    fails the delete's own commit, on the database's foreign key: the same refusal."""
    try:
        with transaction.atomic():
            instance.delete()
    except (ProtectedError, IntegrityError) as exc:
        raise in_use() from exc


def coupon_check(coupon: Coupon, *, subtotal: Decimal, now: datetime) -> None:
    """Whether the coupon's own terms let it apply to goods worth `subtotal` at `now` (its
    uses are counted by the caller, under the coupon's lock)."""
    if not coupon.is_active or (coupon.starts_at is not None and now < coupon.starts_at):
        raise CouponInactive()
    if coupon.ends_at is not None and now >= coupon.ends_at:
        raise CouponExpired()
    if subtotal < coupon.min_subtotal:
        raise CouponMinSubtotal()
