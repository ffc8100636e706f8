"""Idempotency records in a person's data (accounts/personal_data.py): stored answers to
replay, which repeat what the other sections export; erased with the account."""

from accounts.personal_data import Section, register
from idempotency.models import IdempotencyKey

register(
    Section(
        "idempotency_keys",
        (IdempotencyKey,),
        export=lambda user: [],
        anonymise=lambda user: IdempotencyKey.objects.filter(user=user).delete(),
    )
)
