"""What every payment provider adapter offers the payments services, and what it answers."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext_lazy as _

from core.exceptions import DependencyUnavailable
from core.resilience import DependencyDown


class ProviderUnavailable(DependencyUnavailable):
    code = "provider_unavailable"
    message = _("The payment provider cannot be reached; try again shortly.")


class ProviderDown(DependencyDown):
    """A call that failed in a way worth retrying: timeout, connection error, 5xx, 423, 429."""


@dataclass(frozen=True)
class Charge:
    """A provider's view of one payment, in the shop's words."""

    id: str
    status: str  # a Payment.Status value
    status_detail: str = ""
    pix_txid: str = ""
    pix_copy_paste: str = ""
    action_url: str = ""
    card_brand: str = ""
    card_last4: str = ""
    card_exp_month: int | None = None
    card_exp_year: int | None = None
    raw: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Notice:
    """A verified webhook: which event, about which of the provider's payments."""

    event_id: str
    payment_id: str


@dataclass(frozen=True)
class PixRequest:
    key: str  # idempotency key, stable for the payment
    amount: Decimal
    description: str
    payer_email: str
    expires_at: datetime | None
    reference: str


@dataclass(frozen=True)
class CardRequest:
    key: str
    amount: Decimal
    description: str
    payer_email: str
    token: str
    installments: int
    reference: str


class Provider(Protocol):
    name: str

    def create_pix(self, request: PixRequest) -> Charge: ...

    def create_card(self, request: CardRequest) -> Charge: ...

    def fetch(self, payment_id: str) -> Charge: ...

    def refund(self, *, payment_id: str, key: str) -> Charge: ...

    def read_webhook(self, *, headers, query, body: bytes) -> Notice:
        """Verify a notification's signature and say what it is about (InvalidSignature)."""
