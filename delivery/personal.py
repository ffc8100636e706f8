"""The address book in a person's data (accounts/personal_data.py)."""

from accounts.models import User
from accounts.personal_data import Section, register
from delivery.models import Address


def _export(user: User) -> list[dict]:
    return [a.snapshot() for a in Address.objects.filter(customer=user).order_by("pk")]


register(
    Section(
        "addresses",
        (Address,),
        export=_export,
        anonymise=lambda user: Address.objects.filter(customer=user).delete(),
    )
)
