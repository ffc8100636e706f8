"""Payment writes: start a charge, apply what the provider says, refund, confirm by e-mail.

Two rules shape every function here:
- No provider call while a database lock is held (nor, on SQLite, the write transaction):
  read, call the provider outside any transaction, then write in a short one.
- What a provider says is applied under the payment row's lock, forward only (a late
  "pending" never undoes an "approved"); an approval pays its order exactly once, and an
  approval for an order that can no longer be paid is refunded through the provider.
"""

import hashlib
import logging
import uuid
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from core.exceptions import ApplicationError, NotFound
from core.locks import lock_one
from core.mail import send_once
from core.metrics import PAYMENTS
from core.tasks import enqueue, sweep_window
from orders.errors import IllegalTransition, ShippingRequired
from orders.models import Order
from orders.services import order_pay, order_transition
from payments import errors, resilience
from payments.errors import (
    OrderNotPayable,
    PaymentNotRefundable,
    ProviderRefused,
    UnknownPayment,
)
from payments.models import Payment, PaymentLog, WebhookEvent
from payments.providers import get_provider
from payments.providers import sandbox as sandbox_provider
from payments.providers.base import CardRequest, Charge, PixRequest

logger = logging.getLogger(__name__)
# An order its payment confirmed, however far it has gone since.
CONFIRMED_ORDER_STATUSES = [
    Order.Status.PAID,
    Order.Status.PREPARING,
    Order.Status.SHIPPED,
    Order.Status.DELIVERED,
]
# How far along a payment is; the provider's news only ever moves it forward.
PROGRESS: dict[str, int] = {
    Payment.Status.FAILED: 0,
    Payment.Status.PENDING: 1,
    Payment.Status.APPROVED: 2,
    Payment.Status.REJECTED: 2,
    Payment.Status.CANCELLED: 2,
    Payment.Status.REFUNDED: 3,
}


def _log(payment: Payment, kind: str, status: str = "", data: dict | None = None) -> None:
    PaymentLog.objects.create(payment=payment, kind=kind, status=status, data=data or {})
    if status and kind in (PaymentLog.Kind.STATUS, PaymentLog.Kind.ERROR, PaymentLog.Kind.REFUND):
        counter = PAYMENTS.labels(payment.method, status)
        transaction.on_commit(counter.inc)


def _provider_key(*, user: User, client_key: str | None) -> str:
    """The payment's idempotency key at the provider: a client's retry reuses it."""
    if client_key is None:
        return uuid.uuid4().hex
    return hashlib.sha256(f"{user.pk}:{client_key}".encode()).hexdigest()[:40]


def _check_payable(order: Order) -> None:
    if not order.is_payable(timezone.now()):
        raise OrderNotPayable(current_status=order.status)
    if order.shipping_missing:
        raise ShippingRequired()


def payment_start(
    *,
    order: Order,
    customer: User,
    method: str,
    card_token: str | None = None,
    installments: int = 1,
    client_key: str | None = None,
) -> Payment:
    """Charge an order awaiting payment, by Pix or with a card token; return the payment.

    The same `client_key` (the request's Idempotency-Key) resumes the same payment and
    sends the provider the same key, so a retry after a crash never charges twice.
    """
    _check_payable(order)
    provider = get_provider()
    with transaction.atomic():
        # The order's lock orders this against a change of its shipping or coupon: the
        # amount is the total as it stands, and no change follows while this is under way.
        order = lock_one(Order.objects, pk=order.pk)
        _check_payable(order)
        payment, created = Payment.objects.get_or_create(
            provider_key=_provider_key(user=customer, client_key=client_key),
            defaults={
                "order": order,
                "method": method,
                "amount": order.total,
                "provider": provider.name,
                "installments": installments,
                "expires_at": order.expires_at,
            },
        )
        if created:
            _log(
                payment,
                PaymentLog.Kind.REQUEST,
                data={"method": method, "amount": order.total, "installments": installments},
            )
    if payment.provider_payment_id:
        return payment  # a retry of a charge the provider already made

    common: dict[str, Any] = {
        "key": payment.provider_key,
        "amount": payment.amount,
        "description": f"Order #{order.pk}",
        "payer_email": customer.email,
        "reference": f"order-{order.pk}",
    }
    if method == Payment.Method.PIX:
        pix = PixRequest(**common, expires_at=order.expires_at)
        create = lambda: provider.create_pix(pix)  # noqa: E731
    else:
        card = CardRequest(**common, token=card_token or "", installments=installments)
        create = lambda: provider.create_card(card)  # noqa: E731
    try:
        charge = resilience.call(create)
    except ProviderRefused as exc:
        _fail(payment, status=Payment.Status.REJECTED, detail=exc.code, message=str(exc.message))
        raise
    except ApplicationError as exc:  # provider unavailable: a retry may still charge
        _fail(payment, status=Payment.Status.FAILED, detail=exc.code, message=str(exc.message))
        raise
    applied = payment_apply(payment_id=payment.pk, charge=charge)
    assert applied is not None  # only a repeated notification is ignored
    return applied


def _fail(payment: Payment, *, status: str, detail: str, message: str) -> None:
    with transaction.atomic():
        Payment.objects.filter(pk=payment.pk, provider_payment_id="").update(
            status=status, status_detail=detail, updated_at=timezone.now()
        )
        _log(payment, PaymentLog.Kind.ERROR, status, {"code": detail, "message": message})


def payment_apply(
    *, payment_id: int, charge: Charge, event: tuple[str, str] | None = None
) -> Payment | None:
    """Apply the provider's view of a payment; None if this webhook `event` (provider,
    event id) was already applied.

    The event is recorded in the same transaction as the change it causes, so a redelivered
    or concurrently delivered notification changes nothing.
    """
    with transaction.atomic():
        if event is not None:
            try:
                with transaction.atomic():
                    WebhookEvent.objects.create(
                        provider=event[0], event_id=event[1], payment_id=payment_id
                    )
            except IntegrityError:
                return None
        if charge.status == Payment.Status.APPROVED:
            # An approval pays the order: its lock comes first (core.locks.LOCK_ORDER).
            order_id = Payment.objects.values_list("order_id", flat=True).get(pk=payment_id)
            lock_one(Order.objects, pk=order_id)
        payment = lock_one(Payment.objects, pk=payment_id)
        before = payment.status
        _log(
            payment,
            PaymentLog.Kind.WEBHOOK if event and event[1] else PaymentLog.Kind.RESPONSE,
            charge.status,
            charge.raw,
        )
        payment.provider_payment_id = payment.provider_payment_id or charge.id
        for name in ("pix_txid", "pix_copy_paste", "card_brand", "card_last4"):
            setattr(payment, name, getattr(charge, name) or getattr(payment, name))
        payment.card_exp_month = charge.card_exp_month or payment.card_exp_month
        payment.card_exp_year = charge.card_exp_year or payment.card_exp_year
        payment.action_url = charge.action_url if charge.status == Payment.Status.PENDING else ""
        if PROGRESS[charge.status] > PROGRESS[before] or charge.status == before:
            payment.status, payment.status_detail = charge.status, charge.status_detail
        payment.save()
        if payment.status != before:
            _log(payment, PaymentLog.Kind.STATUS, payment.status, {"before": before})
        if payment.status == Payment.Status.APPROVED and before != Payment.Status.APPROVED:
            _settle(payment)
    return payment


def _settle(payment: Payment) -> None:
    """An approval pays its order, or is due back to the payer."""
    if order_pay(order=payment.order):
        return
    payment.refund_due = True
    payment.save(update_fields=["refund_due", "updated_at"])
    status = Order.objects.values_list("status", flat=True).get(pk=payment.order_id)
    _log(
        payment,
        PaymentLog.Kind.STATUS,
        payment.status,
        {"refund_due": True, "order_status": status},
    )
    logger.warning(
        "Payment %s approved for order %s that is %s: refunding",
        payment.pk,
        payment.order_id,
        status,
    )
    from payments.tasks import make_due_refund

    enqueue(make_due_refund, payment.pk)


def due_refund_make(*, payment_id: int) -> bool:
    """Give back a payment approved for an order it could not pay; False if nothing is due."""
    payment = Payment.objects.get(pk=payment_id)
    if not (payment.refund_due and payment.status == Payment.Status.APPROVED):
        return False
    _refund_at_provider(payment)
    return True


def payment_refund(*, payment: Payment, by: User | None) -> Payment:
    """An administrator refunds a paid order's payment: the provider first, then the order."""
    payment = Payment.objects.select_related("order").get(pk=payment.pk)
    refundable = payment.status == Payment.Status.APPROVED and not payment.refund_due
    if not refundable or payment.order.status != Order.Status.PAID:
        raise PaymentNotRefundable(current_status=payment.status)
    refunded = _refund_at_provider(payment, by=by)
    try:
        order_transition(order=payment.order, to=Order.Status.REFUNDED, by=by)
    except IllegalTransition:  # moved on while the provider refunded: the money is back anyway
        logger.warning("Payment %s refunded; order %s had moved on", payment.pk, payment.order_id)
    return refunded


def _refund_at_provider(payment: Payment, *, by: User | None = None) -> Payment:
    provider = get_provider(payment.provider)
    charge = resilience.call(
        lambda: provider.refund(
            payment_id=payment.provider_payment_id, key=f"refund-{payment.provider_key}"
        )
    )
    with transaction.atomic():
        locked = lock_one(Payment.objects, pk=payment.pk)
        if locked.status == Payment.Status.APPROVED:
            locked.status, locked.status_detail = (
                Payment.Status.REFUNDED,
                charge.status_detail or "refunded",
            )
            locked.refund_due = False
            locked.save(update_fields=["status", "status_detail", "refund_due", "updated_at"])
            _log(
                locked,
                PaymentLog.Kind.REFUND,
                Payment.Status.REFUNDED,
                {**charge.raw, "by": getattr(by, "email", None)},
            )
    return locked


def due_refunds_retry() -> int:
    """Retry every refund still due (the provider was down when it was first tried)."""
    due = Payment.objects.filter(refund_due=True, status=Payment.Status.APPROVED).values_list(
        "pk", flat=True
    )
    done = 0
    for pk in list(due):
        try:
            done += due_refund_make(payment_id=pk)
        except ApplicationError:
            logger.warning("Refund of payment %s failed; will retry", pk)
    return done


def webhook_receive(
    *, provider_name: str, headers: Mapping[str, str], query: Mapping[str, str], body: bytes
) -> str:
    """Handle a provider's notification: verify, re-fetch the payment, apply it once.

    Return "processed", "duplicate" or "ignored" (a topic other than payments).
    """
    provider = get_provider()
    if provider_name != provider.name:
        raise NotFound()
    notice = provider.read_webhook(headers=headers, query=query, body=body)
    if not notice.payment_id:
        return "ignored"
    payment = Payment.objects.filter(
        provider=provider.name, provider_payment_id=notice.payment_id
    ).first()
    if payment is None:
        raise UnknownPayment()
    if WebhookEvent.objects.filter(provider=provider.name, event_id=notice.event_id).exists():
        return "duplicate"  # seen already: not even a call to the provider
    # The notification only says "look": the provider's own record is the truth.
    charge = resilience.call(lambda: provider.fetch(notice.payment_id))
    applied = payment_apply(
        payment_id=payment.pk, charge=charge, event=(provider.name, notice.event_id)
    )
    return "duplicate" if applied is None else "processed"


def sandbox_pay(*, payment: Payment) -> None:
    """The sandbox payer pays a Pix charge (or passes a card's 3-D Secure check); the
    sandbox provider then notifies the shop through a signed webhook, as a real one would."""
    sandbox_provider.require_sandbox()
    if not payment.provider_payment_id:
        raise errors.ChargeNotPayable()
    sandbox_provider.charge_settle(charge_id=payment.provider_payment_id, method=payment.method)
    headers, body = sandbox_provider.notification(payment.provider_payment_id)
    from payments.tasks import deliver_sandbox_webhook

    enqueue(deliver_sandbox_webhook, headers, body.decode())


def payment_confirmation_send(*, payment_id: int) -> bool:
    """E-mail the payer that their payment confirmed the order, once; False if already sent."""
    return send_once(
        Payment.objects.select_related("order__customer"),
        payment_id,
        stamp="confirmation_emailed_at",
        message=_confirmation_email,
        language=lambda payment: payment.order.customer.language,
    )


def payment_confirmations_unsent_send() -> int:
    """Send the confirmations whose task never ran (the broker was down); return how many."""
    unsent = Payment.objects.filter(
        status=Payment.Status.APPROVED,
        refund_due=False,
        confirmation_emailed_at=None,
        order__status__in=CONFIRMED_ORDER_STATUSES,
        updated_at__range=sweep_window(),
    ).values_list("pk", flat=True)
    return sum(payment_confirmation_send(payment_id=pk) for pk in unsent)


def _confirmation_email(payment: Payment) -> EmailMessage:
    order = payment.order
    context = {
        "payment": payment,
        "order": order,
        "lines": order.lines.all(),
        # Issued with the payment (tickets.receivers), read through the order's relation.
        "admissions": order.admissions.select_related("product").order_by("id"),
    }
    return EmailMessage(
        subject=gettext("Payment confirmed: order #%(number)s") % {"number": payment.order_id},
        body=render_to_string("payments/confirmation_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[order.customer.email],
    )
