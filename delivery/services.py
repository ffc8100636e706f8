"""The address book: every write of an address comes through here."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from accounts.validators import normalize_phone_field
from core.locks import lock_one
from delivery.errors import AddressLimit
from delivery.models import MAX_ADDRESSES, Address


def normalize_cep(value: str) -> str:
    """A CEP typed as 01310-100 or 01310100, as its 8 digits; ValidationError otherwise."""
    digits = value.strip().replace("-", "").replace(".", "")
    if len(digits) != 8 or not (digits.isascii() and digits.isdigit()):
        message = "Enter a CEP of 8 digits, e.g. 01310-100."
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
