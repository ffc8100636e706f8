"""The MercadoPago adapter against a local fake of its HTTP API: stable idempotency keys,
retries, the circuit breaker, signed notifications with millisecond timestamps."""

import time

import pytest
from rest_framework.test import APIClient

from orders.models import Order
from payments import resilience
from payments.models import Payment
from payments.tests.fake_mercadopago import FakeMercadoPago, notification_headers
from payments.tests.helpers import pay

# A test that races threads or needs a real commit (work after it, another connection)
# marks itself transaction=True.
pytestmark = pytest.mark.django_db
SECRET = "mp-webhook-secret"


@pytest.fixture
def mercadopago(settings):
    with FakeMercadoPago(access_token="TEST-123") as fake:
        settings.PAYMENT_PROVIDER = "mercadopago"
        settings.MERCADOPAGO_API_URL = fake.url
        settings.MERCADOPAGO_ACCESS_TOKEN = "TEST-123"
        settings.MERCADOPAGO_WEBHOOK_SECRET = SECRET
        yield fake


def notify(payment_id: str, *, event_id="9001", secret=SECRET, ts_ms=None):
    headers = notification_headers(
        secret=secret, data_id=payment_id, request_id="req-1", ts_ms=ts_ms
    )
    return APIClient().post(
        f"/api/payments/webhooks/mercadopago?data.id={payment_id}&type=payment",
        {
            "id": event_id,
            "type": "payment",
            "action": "payment.updated",
            "data": {"id": payment_id},
        },
        headers=headers,
    )


def test_a_pix_charge_at_mercadopago_is_paid_by_its_notification(
    mercadopago, customer, customer_client, place_order
):
    order = place_order(customer)
    response = pay(customer_client, order)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["pix"]["copy_paste"].startswith("000201")
    sent = mercadopago.calls("POST", "/v1/payments")[0]
    payment = Payment.objects.get()
    assert sent["headers"]["x-idempotency-key"] == payment.provider_key
    assert sent["body"]["payment_method_id"] == "pix"
    assert sent["body"]["transaction_amount"] == 49.9
    assert sent["body"]["date_of_expiration"].endswith("-03:00")

    mercadopago.set_status(payment.provider_payment_id, "approved")
    answer = notify(payment.provider_payment_id)
    assert answer.status_code == 200 and answer.json() == {"result": "processed"}
    assert Order.objects.get(pk=order.pk).status == "paid"
    assert notify(payment.provider_payment_id).json() == {"result": "duplicate"}
    assert len(mercadopago.calls("GET", "/v1/payments/")) == 1  # a duplicate is not re-fetched


def test_notifications_are_checked_with_millisecond_timestamps(
    mercadopago, customer, customer_client, place_order
):
    order = place_order(customer)
    pay(customer_client, order)
    payment_id = Payment.objects.get().provider_payment_id
    mercadopago.set_status(payment_id, "approved")
    stale = int((time.time() - 301) * 1000)
    assert notify(payment_id, ts_ms=stale).status_code == 400
    assert notify(payment_id, secret="wrong").status_code == 400
    assert notify("99999999").status_code == 404  # signed, but no payment of ours
    assert Order.objects.get(pk=order.pk).status == "pending_payment"
    assert notify(payment_id).status_code == 200
    assert Order.objects.get(pk=order.pk).status == "paid"


def test_a_card_payment_keeps_brand_and_last_digits(
    mercadopago, customer, customer_client, place_order
):
    order = place_order(customer)
    body = pay(customer_client, order, "card", card_token="tok_apro", installments=2).json()
    assert body["status"] == "approved"
    assert body["card"] == {"brand": "master", "last4": "6351", "exp_month": 11, "exp_year": 2030}
    assert mercadopago.calls("POST", "/v1/payments")[0]["body"]["installments"] == 2
    declined = pay(customer_client, place_order(customer), "card", card_token="tok_fund").json()
    assert declined["status_detail"] == "cc_rejected_insufficient_amount"
    bad = pay(customer_client, place_order(customer), "card", card_token="tok_nope")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_card_token"


def test_passing_failures_are_retried_with_the_same_idempotency_key(
    mercadopago, customer, customer_client, place_order
):
    mercadopago.fail_next = 2
    response = pay(customer_client, place_order(customer))
    assert response.status_code == 201
    attempts = mercadopago.calls("POST", "/v1/payments")
    assert len(attempts) == 3
    assert len({a["headers"]["x-idempotency-key"] for a in attempts}) == 1
    assert len(mercadopago.payments) == 1


@pytest.mark.django_db(transaction=True)  # the key's claim outside any transaction
def test_a_provider_that_stays_down_answers_503_and_a_retry_charges_once(
    mercadopago, customer, customer_client, place_order, settings
):
    settings.PAYMENT_RETRY_ATTEMPTS = 2
    mercadopago.fail_next = 2
    order = place_order(customer)
    headers = {"HTTP_IDEMPOTENCY_KEY": "checkout-42"}
    down = customer_client.post(f"/api/orders/{order.pk}/payments", {"method": "pix"}, **headers)
    assert down.status_code == 503 and down.json()["code"] == "provider_unavailable"
    assert Payment.objects.get().status == "failed"
    again = customer_client.post(f"/api/orders/{order.pk}/payments", {"method": "pix"}, **headers)
    assert again.status_code == 201 and again.json()["status"] == "pending"
    assert Payment.objects.count() == 1 and len(mercadopago.payments) == 1


def test_the_circuit_opens_after_repeated_failures_and_spares_the_provider(
    mercadopago, customer, customer_client, place_order, settings, monkeypatch
):
    settings.PAYMENT_RETRY_ATTEMPTS = 1
    monkeypatch.setattr(resilience.breaker, "fail_max", 2)
    mercadopago.fail_next = 100
    answers = [pay(customer_client, place_order(customer)).status_code for _ in range(4)]
    assert answers == [503] * 4
    assert len(mercadopago.calls("POST", "/v1/payments")) == 2  # then the circuit was open
    assert resilience.breaker.current_state == "open"


def test_staff_refund_through_mercadopago_with_a_stable_key(
    mercadopago, customer, customer_client, admin_client, place_order
):
    order = place_order(customer)
    payment = pay(customer_client, order, "card", card_token="tok_apro").json()
    response = admin_client.post(f"/api/payments/{payment['id']}/refund")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "refunded"
    refund = mercadopago.calls("POST", f"/v1/payments/{Payment.objects.get().provider_payment_id}")
    assert refund[0]["headers"]["x-idempotency-key"].startswith("refund-")
    assert Order.objects.get(pk=order.pk).status == "refunded"
