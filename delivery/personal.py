"""The address book in a person's data (accounts/personal_data.py)."""

from accounts.models import User
from accounts.personal_data import Section, register
from delivery.models import Address

FIELDS = ("recipient_name", "cep", "street", "number", "complement", "district", "city")


def _export(user: User) -> list[dict]:
    return [
        {**{f: getattr(a, f) for f in FIELDS}, "state": a.state, "phone": a.phone}
        for a in Address.objects.filter(customer=user).order_by("pk")
    ]


register(
    Section(
        "addresses",
        (Address,),
        export=_export,
        anonymise=lambda user: Address.objects.filter(customer=user).delete(),
    )
)
