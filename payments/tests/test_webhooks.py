"""Provider notifications: signed, fresh, about a known payment, applied exactly once."""

import json
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from catalog.models import Product
from catalog.tests.factories import ProductFactory
from orders.models import Order, OrderEvent
from orders.services import order_cancel, orders_expire
from payments.models import Payment, SandboxCharge, WebhookEvent
from payments.providers import sandbox
from payments.signatures import sandbox_sign
from payments.tests.helpers import pay
from testing.concurrency import at_once

# A test that races threads or needs a real commit (work after it, another connection)
# marks itself transaction=True.
pytestmark = pytest.mark.django_db


def post(headers, body, provider="sandbox"):
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    return APIClient().post(
        f"/api/payments/webhooks/{provider}", body, content_type="application/json", **extra
    )


def pending_pix(customer, client, place_order, product=None):
    order = place_order(customer, product)
    payment = Payment.objects.get(pk=pay(client, order).json()["id"])
    return order, payment


def approve_at_provider(payment):
    """What the payer's bank does; the shop only learns of it from the webhook."""
    SandboxCharge.objects.filter(charge_id=payment.provider_payment_id).update(status="approved")


def paid_events(order):
    return OrderEvent.objects.filter(order=order, to_status=Order.Status.PAID).count()


def confirmations():
    return [m for m in mail.outbox if m.subject.startswith("Pagamento confirmado")]


def test_a_signed_notification_pays_the_order(customer, customer_client, place_order):
    order, payment = pending_pix(customer, customer_client, place_order)
    approve_at_provider(payment)
    response = post(*sandbox.notification(payment.provider_payment_id))
    assert response.status_code == 200 and response.json() == {"result": "processed"}
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID


def test_a_notification_only_says_look_the_provider_record_decides(
    customer, customer_client, place_order
):
    order, payment = pending_pix(customer, customer_client, place_order)
    response = post(*sandbox.notification(payment.provider_payment_id))  # not paid at the bank
    assert response.status_code == 200
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT
    assert Payment.objects.get(pk=payment.pk).status == "pending"


@pytest.mark.parametrize("defect", ["tampered", "unsigned", "stale", "future", "other secret"])
def test_a_bad_signature_changes_nothing(customer, customer_client, place_order, defect, settings):
    order, payment = pending_pix(customer, customer_client, place_order)
    approve_at_provider(payment)
    headers, body = sandbox.notification(payment.provider_payment_id)
    secret = settings.SANDBOX_WEBHOOK_SECRET
    if defect == "tampered":
        body = body.replace(b"payment.updated", b"payment.updatee")
    elif defect == "unsigned":
        headers = {}
    elif defect in ("stale", "future"):
        moment = int(time.time()) + (-301 if defect == "stale" else 301)
        headers = {"X-Signature": sandbox_sign(secret=secret, body=body, timestamp=moment)}
    else:
        headers = {"X-Signature": sandbox_sign(secret="not-ours", body=body)}
    response = post(headers, body)
    assert response.status_code == 400 and response.json()["code"] == "invalid_signature"
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT
    assert not WebhookEvent.objects.exists()


def test_an_unknown_payment_or_provider_is_not_found(customer, customer_client, place_order):
    order, _ = pending_pix(customer, customer_client, place_order)
    response = post(*sandbox.notification("sbx_unknown"))
    assert response.status_code == 404 and response.json()["code"] == "unknown_payment"
    headers, body = sandbox.notification("sbx_unknown")
    assert post(headers, body, provider="mercadopago").status_code == 404
    assert post(headers, body, provider="nobody").status_code == 404
    assert not WebhookEvent.objects.exists()
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT


def test_a_body_that_is_not_a_notification_is_refused():
    body = json.dumps(["not", "an", "event"]).encode()
    headers = {
        "X-Signature": sandbox_sign(secret=sandbox.settings.SANDBOX_WEBHOOK_SECRET, body=body)
    }
    assert post(headers, body).status_code == 400


@pytest.mark.parametrize(
    ("provider", "header", "value"),
    [
        ("sandbox", "X-Signature", "t={now},v1=\u00e9\u00e9"),
        ("sandbox", "X-Signature", "t=" + "9" * 5000 + ",v1=ab"),
        ("mercadopago", "X-Signature", "ts={now}000,v1=\u00e9\u00e9"),
        ("mercadopago", "X-Signature", "ts=" + "9" * 5000 + ",v1=ab"),
    ],
    ids=["sandbox-non-ascii", "sandbox-huge-t", "mercadopago-non-ascii", "mercadopago-huge-ts"],
)
def test_a_malformed_signature_header_is_a_400_not_a_crash(settings, provider, header, value):
    settings.PAYMENT_PROVIDER, settings.MERCADOPAGO_WEBHOOK_SECRET = provider, "mp-secret"
    value = value.replace("{now}", str(int(time.time())))
    client = APIClient(raise_request_exception=False)
    response = client.post(
        f"/api/payments/webhooks/{provider}?data.id=1&type=payment",
        b"{}",
        content_type="application/json",
        headers={header: value},
    )
    assert (response.status_code, response.json()["code"]) == (400, "invalid_signature")


def test_a_signed_body_nested_past_parsing_is_a_400():
    body = ("[" * 50_000 + "]" * 50_000).encode()
    headers = {
        "X-Signature": sandbox_sign(secret=sandbox.settings.SANDBOX_WEBHOOK_SECRET, body=body)
    }
    response = post(headers, body)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_signature")


@pytest.mark.django_db(transaction=True)
def test_the_same_webhook_delivered_five_times_at_once_pays_once(
    customer, customer_client, place_order
):
    order, payment = pending_pix(customer, customer_client, place_order)
    approve_at_provider(payment)
    headers, body = sandbox.notification(payment.provider_payment_id)
    answers = at_once(5, lambda i: post(headers, body))
    assert sorted(a.status_code for a in answers) == [200] * 5
    assert sorted(a.json()["result"] for a in answers) == ["duplicate"] * 4 + ["processed"]
    assert paid_events(order) == 1
    assert len(confirmations()) == 1
    assert WebhookEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_different_notifications_of_one_approval_still_pay_once(
    customer, customer_client, place_order
):
    order, payment = pending_pix(customer, customer_client, place_order)
    approve_at_provider(payment)
    deliveries = [sandbox.notification(payment.provider_payment_id) for _ in range(5)]
    answers = at_once(5, lambda i: post(*deliveries[i]))
    assert [a.status_code for a in answers] == [200] * 5
    assert paid_events(order) == 1 and len(confirmations()) == 1
    assert Payment.objects.get(pk=payment.pk).status == "approved"


@pytest.mark.django_db(transaction=True)
def test_approval_and_expiry_racing_leave_money_and_stock_consistent(
    customer, customer_client, place_order
):
    """Exactly one wins each round: paid and the units sold, or expired with the units back
    and the money refunded."""
    outcomes = set()
    for _ in range(6):
        product = ProductFactory(stock=3)
        order, payment = pending_pix(customer, customer_client, place_order, product)
        approve_at_provider(payment)
        headers, body = sandbox.notification(payment.provider_payment_id)
        later = timezone.now() + timedelta(hours=1)

        def racer(i, headers=headers, body=body, later=later):
            return post(headers, body) if i else orders_expire(now=later)

        at_once(2, racer)
        order.refresh_from_db()
        payment.refresh_from_db()
        stock = Product.objects.get(pk=product.pk).stock
        if order.status == Order.Status.PAID:
            assert (stock, payment.status) == (2, "approved")
        else:
            assert order.status == Order.Status.EXPIRED
            assert (stock, payment.status, payment.refund_due) == (3, "refunded", False)
            charge = SandboxCharge.objects.get(charge_id=payment.provider_payment_id)
            assert charge.status == "refunded"
        assert OrderEvent.objects.filter(order=order).count() == 2
        outcomes.add(order.status)
    assert outcomes <= {Order.Status.PAID, Order.Status.EXPIRED}


@pytest.mark.django_db(transaction=True)
def test_a_payment_approved_after_the_order_expired_is_refunded(
    customer, customer_client, place_order, django_user_model
):
    product = ProductFactory(stock=1)
    order, payment = pending_pix(customer, customer_client, place_order, product)
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    # Expiry has not run yet: the approval arriving now must not revive the order.
    response = customer_client.post(f"/api/payments/sandbox/pix/{payment.pk}/pay")
    assert response.status_code == 202
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == Order.Status.EXPIRED
    assert payment.status == "refunded"
    assert [entry.kind for entry in payment.log.all()][-1] == "refund"
    assert Product.objects.get(pk=product.pk).stock == 1  # back once, for someone else
    assert orders_expire() == 0
    assert Product.objects.get(pk=product.pk).stock == 1
    assert not confirmations()


@pytest.mark.django_db(transaction=True)
def test_a_payment_approved_for_a_cancelled_order_is_refunded(
    customer, customer_client, place_order
):
    order, payment = pending_pix(customer, customer_client, place_order)
    order_cancel(order=order, by=customer)
    customer_client.post(f"/api/payments/sandbox/pix/{payment.pk}/pay")
    payment.refresh_from_db()
    assert payment.status == "refunded"
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED


def test_a_late_notification_never_moves_a_payment_back(customer, customer_client, place_order):
    order, payment = pending_pix(customer, customer_client, place_order)
    approve_at_provider(payment)
    post(*sandbox.notification(payment.provider_payment_id))
    # An older state reaching the shop after the approval (out of order, or a stale read).
    SandboxCharge.objects.filter(charge_id=payment.provider_payment_id).update(status="pending")
    assert post(*sandbox.notification(payment.provider_payment_id)).status_code == 200
    assert Payment.objects.get(pk=payment.pk).status == "approved"
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID


@pytest.mark.django_db(transaction=True)
def test_no_provider_call_is_made_inside_a_transaction(
    customer, customer_client, admin_client, place_order, monkeypatch
):
    """A provider call can take seconds: holding a row lock (or SQLite's write lock) through
    it would stall every other buyer."""
    from django.db import connection

    from payments.providers.sandbox import SandboxProvider

    calls = []
    for name in ("create_pix", "create_card", "fetch", "refund"):
        original = getattr(SandboxProvider, name)

        def guarded(self, *args, _original=original, _name=name, **kwargs):
            calls.append((_name, connection.in_atomic_block))
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(SandboxProvider, name, guarded)
    order, payment = pending_pix(customer, customer_client, place_order)
    customer_client.post(f"/api/payments/sandbox/pix/{payment.pk}/pay")
    admin_client.post(f"/api/payments/{payment.pk}/refund")
    assert {name for name, _ in calls} == {"create_pix", "fetch", "refund"}
    assert not any(inside for _, inside in calls)
    assert Order.objects.get(pk=order.pk).status == Order.Status.REFUNDED
