"""The sandbox provider: a small payment provider inside the shop, for demos and tests.

It keeps its own records (SandboxCharge, SandboxCard) the way a real provider would, so the
shop's side (payments.services) cannot tell it from one: it creates charges, is re-fetched,
refunds, and notifies through signed webhooks that go through the same code as any other.
Card outcomes follow the documented test numbers; numbers and CVVs are never kept.
"""

import json
import secrets
import uuid
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exceptions import NotFound
from payments import pix
from payments.errors import (
    ChargeNotPayable,
    InvalidCard,
    InvalidCardToken,
    InvalidSignature,
    ProviderRefused,
)
from payments.models import Payment, SandboxCard, SandboxCharge
from payments.providers.base import CardRequest, Charge, Notice, PixRequest
from payments.signatures import sandbox_sign, sandbox_verify, webhook_json

SIGNATURE_HEADER = "X-Signature"
PIX_LOCATION = "pix.sandbox.shop.localhost/cob/"

# Test numbers and what they do (as Stripe documents them); any other valid number approves.
OUTCOMES = {
    "4000000000000002": (Payment.Status.REJECTED, "cc_rejected_other_reason"),
    "4000000000009995": (Payment.Status.REJECTED, "cc_rejected_insufficient_amount"),
    "4000002760003184": (Payment.Status.PENDING, "pending_challenge"),
}


def luhn_valid(number: str) -> bool:
    digits = [int(d) for d in reversed(number)]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


def card_brand(number: str) -> str:
    if number.startswith(("34", "37")):
        return "amex"
    if number.startswith(("4011", "4312", "4389", "4514", "4576", "5041", "5066", "5067", "6362")):
        return "elo"
    if number.startswith("4"):
        return "visa"
    if 51 <= int(number[:2]) <= 55 or 2221 <= int(number[:4]) <= 2720:
        return "master"
    return "other"


def card_tokenize(*, number: str, exp_month: int, exp_year: int, cvv: str) -> SandboxCard:
    """What a provider's browser SDK does: check the card, hand back a single-use token."""
    number = number.replace(" ", "").replace("-", "")
    if not (number.isascii() and number.isdigit() and 13 <= len(number) <= 19):
        raise InvalidCard(_("The card number must be 13 to 19 digits."))
    if not luhn_valid(number):
        raise InvalidCard(_("The card number is not valid (check digit)."))
    if not (cvv.isascii() and cvv.isdigit() and len(cvv) in (3, 4)):
        raise InvalidCard(_("The security code must be 3 or 4 digits."))
    today = timezone.localdate()
    if not (1 <= exp_month <= 12) or date(exp_year, exp_month, 1) < today.replace(day=1):
        raise InvalidCard(_("The card has expired."))
    status, detail = OUTCOMES.get(number, (Payment.Status.APPROVED, "accredited"))
    return SandboxCard.objects.create(
        token=secrets.token_hex(16),
        brand=card_brand(number),
        last4=number[-4:],
        exp_month=exp_month,
        exp_year=exp_year,
        outcome=f"{status}:{detail}",
    )


def _charge(record: SandboxCharge) -> Charge:
    card = record.card
    return Charge(
        id=record.charge_id,
        status=record.status,
        status_detail=record.status_detail,
        pix_txid=record.pix_txid,
        pix_copy_paste=record.pix_copy_paste,
        action_url=(
            f"/api/payments/sandbox/3ds/{record.charge_id}/complete"
            if record.status_detail == "pending_challenge"
            else ""
        ),
        card_brand=card.brand if card else "",
        card_last4=card.last4 if card else "",
        card_exp_month=card.exp_month if card else None,
        card_exp_year=card.exp_year if card else None,
        raw={"id": record.charge_id, "status": record.status, "detail": record.status_detail},
    )


def _new_charge_id() -> str:
    return f"sbx_{uuid.uuid4().hex}"


class SandboxProvider:
    name = "sandbox"

    def create_pix(self, request: PixRequest) -> Charge:
        existing = SandboxCharge.objects.filter(idempotency_key=request.key).first()
        if existing:
            return _charge(existing)
        txid = uuid.uuid4().hex  # 32 letters and digits, as the PSP's txid (26-35)
        code = pix.BRCode(
            merchant_name=settings.PIX_MERCHANT_NAME,
            merchant_city=settings.PIX_MERCHANT_CITY,
            location=PIX_LOCATION + txid,
            amount=request.amount,
        )
        return self._create(
            request.key,
            method="pix",
            amount=request.amount,
            status=Payment.Status.PENDING,
            status_detail="pending_waiting_transfer",
            pix_txid=txid,
            pix_key=settings.PIX_KEY,  # the charge is registered to the shop's key
            pix_copy_paste=code.payload(),
        )

    def create_card(self, request: CardRequest) -> Charge:
        existing = SandboxCharge.objects.filter(idempotency_key=request.key).first()
        if existing:
            return _charge(existing)
        with transaction.atomic():
            used = SandboxCard.objects.filter(token=request.token, used=False).update(used=True)
            if not used:
                raise InvalidCardToken()
            card = SandboxCard.objects.get(token=request.token)
            status, detail = card.outcome.split(":", 1)
            return self._create(
                request.key,
                method="card",
                amount=request.amount,
                status=status,
                status_detail=detail,
                card=card,
            )

    def _create(self, key: str, **fields) -> Charge:
        try:
            with transaction.atomic():
                record = SandboxCharge.objects.create(
                    charge_id=_new_charge_id(), idempotency_key=key, **fields
                )
        except IntegrityError:  # the same key raced in: answer what the first one made
            record = SandboxCharge.objects.get(idempotency_key=key)
        return _charge(record)

    def fetch(self, payment_id: str) -> Charge:
        record = SandboxCharge.objects.select_related("card").filter(charge_id=payment_id).first()
        if record is None:
            raise ProviderRefused(_("The provider knows no such payment."), code="unknown_payment")
        return _charge(record)

    def refund(self, *, payment_id: str, key: str) -> Charge:
        with transaction.atomic():
            SandboxCharge.objects.filter(
                charge_id=payment_id, status=Payment.Status.APPROVED
            ).update(status=Payment.Status.REFUNDED, status_detail="refunded")
        charge = self.fetch(payment_id)
        if charge.status != Payment.Status.REFUNDED:
            raise ProviderRefused(_("Only an approved payment can be refunded."))
        return charge

    def read_webhook(self, *, headers, query, body: bytes) -> Notice:
        sandbox_verify(
            secret=settings.SANDBOX_WEBHOOK_SECRET,
            header=headers.get(SIGNATURE_HEADER),
            body=body,
        )
        event = webhook_json(body)
        try:
            event_id, payment_id = event["id"], event["data"]["id"]
        except (KeyError, TypeError) as exc:
            raise InvalidSignature("The webhook body is not a payment notification.") from exc
        if not (isinstance(event_id, str) and isinstance(payment_id, str)):
            raise InvalidSignature("The webhook body is not a payment notification.")
        return Notice(event_id=event_id, payment_id=payment_id)


def notification(charge_id: str) -> tuple[dict[str, str], bytes]:
    """The signed webhook the sandbox sends when a charge changes: headers and raw body."""
    body = json.dumps(
        {"id": f"evt_{uuid.uuid4().hex}", "type": "payment.updated", "data": {"id": charge_id}}
    ).encode()
    return {SIGNATURE_HEADER: sandbox_sign(secret=settings.SANDBOX_WEBHOOK_SECRET, body=body)}, body


def charge_settle(*, charge_id: str, method: str) -> SandboxCharge:
    """The payer's bank pays a Pix charge, or the payer passes a card's 3-D Secure check.

    Late payments are accepted on purpose, as a real bank may deliver them: the shop must
    refund a payment for an order that expired meanwhile.
    """
    detail = {"pix": "pending_waiting_transfer", "card": "pending_challenge"}[method]
    settled = SandboxCharge.objects.filter(
        charge_id=charge_id, method=method, status=Payment.Status.PENDING, status_detail=detail
    ).update(status=Payment.Status.APPROVED, status_detail="accredited")
    if not settled:
        raise ChargeNotPayable()
    return SandboxCharge.objects.get(charge_id=charge_id)


def require_sandbox() -> None:
    """The sandbox's own endpoints exist only while it is the provider."""
    if settings.PAYMENT_PROVIDER != "sandbox":
        raise NotFound()
