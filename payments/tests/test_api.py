"""Paying an order through the API with the sandbox provider: Pix, cards, refunds."""

from decimal import Decimal

import pytest
from django.core import mail

from accounts.tests.factories import UserFactory
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from orders.models import Order
from payments import pix
from payments.models import Payment, SandboxCard
from payments.tests.helpers import (
    DECLINES,
    INSUFFICIENT_FUNDS,
    NEEDS_3DS,
    card_token,
    pay,
)
from testing.clients import client_for

# A test that races threads or needs a real commit (work after it, another connection)
# marks itself transaction=True.
pytestmark = pytest.mark.django_db


def status(order):
    return Order.objects.get(pk=order.pk).status


@pytest.mark.django_db(transaction=True)
def test_a_pix_charge_carries_the_order_total_and_settles_the_order(
    customer, customer_client, place_order
):
    order = place_order(customer, ProductFactory(price="49.90", stock=3), quantity=2)
    response = pay(customer_client, order)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["method"], body["status"], body["amount"]) == ("pix", "pending", "99.80")
    assert body["order_id"] == order.pk and body["expires_at"] is not None
    fields = pix.parse(body["pix"]["copy_paste"])  # the CRC verifies, or parse refuses
    assert fields["54"] == "99.80" and fields["01"] == "12"
    assert fields["26"]["00"] == "br.gov.bcb.pix" and "25" in fields["26"]
    assert body["pix"]["qr_code_svg"].startswith("<svg")
    assert body["transactions"] is None  # the log is for administrators

    paid = customer_client.post(f"/api/payments/sandbox/pix/{body['id']}/pay")
    assert paid.status_code == 202, paid.content
    detail = customer_client.get(f"/api/orders/{order.pk}").json()
    assert detail["status"] == "paid"
    assert detail["payments"] == [
        {
            "id": body["id"],
            "method": "pix",
            "status": "approved",
            "amount": "99.80",
            "created_at": body["created_at"],
        }
    ]
    assert [m.subject for m in mail.outbox if "Pagamento" in m.subject] == [
        f"Pagamento confirmado: pedido nº {order.pk}"
    ]
    again = customer_client.post(f"/api/payments/sandbox/pix/{body['id']}/pay")
    assert again.status_code == 409 and again.json()["code"] == "charge_not_payable"


def test_a_card_payment_keeps_only_brand_last_digits_and_expiry(
    customer, customer_client, place_order, caplog
):
    caplog.set_level("DEBUG")
    order = place_order(customer)
    token = card_token(customer_client)
    response = pay(customer_client, order, "card", card_token=token, installments=3)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "approved" and body["installments"] == 3
    assert body["card"]["brand"] == "visa" and body["card"]["last4"] == "4242"
    assert status(order) == Order.Status.PAID
    stored = {f.name: getattr(Payment.objects.get(), f.name) for f in Payment._meta.fields}
    stored |= {f.name: getattr(SandboxCard.objects.get(), f.name) for f in SandboxCard._meta.fields}
    assert not any("4242424242424242" in str(value) for value in stored.values())
    assert "4242424242424242" not in caplog.text and "4242 4242 4242 4242" not in caplog.text
    reused = pay(customer_client, place_order(customer), "card", card_token=token)
    assert reused.status_code == 400 and reused.json()["code"] == "invalid_card_token"


def test_card_numbers_never_reach_the_payment_endpoint(customer, customer_client, place_order):
    order = place_order(customer)
    response = pay(customer_client, order, "card", number="4242424242424242", cvv="123")
    assert response.status_code == 400 and response.json()["code"] == "card_data_refused"
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    "extra",
    [
        {"card": {"number": "4242424242424242"}},
        {"Number": "4242424242424242"},
        {"CVV": "123"},
        {"cardNumber": "4242424242424242"},
        {"payer": [{"security-code": "123"}]},
    ],
    ids=["nested", "capitalised", "upper-cvv", "camel-case", "in-a-list"],
)
def test_card_data_is_refused_however_it_is_spelled_or_nested(
    customer, customer_client, place_order, extra
):
    order = place_order(customer)
    response = pay(customer_client, order, "card", card_token="tok_x", **extra)
    assert response.status_code == 400 and response.json()["code"] == "card_data_refused"
    assert not Payment.objects.exists()


def test_the_sandbox_tokeniser_checks_the_card(customer_client):
    bad = {
        "number": "4242 4242 4242 4241",
        "holder_name": "X",
        "exp_month": 1,
        "exp_year": 2099,
        "cvv": "123",
    }
    response = customer_client.post("/api/payments/sandbox/card-tokens", bad)
    assert response.status_code == 400 and response.json()["code"] == "invalid_card"
    expired = {**bad, "number": "4242424242424242", "exp_year": 2020}
    assert customer_client.post("/api/payments/sandbox/card-tokens", expired).status_code == 400
    assert not SandboxCard.objects.exists()


@pytest.mark.parametrize(
    "number, detail",
    [
        (DECLINES, "cc_rejected_other_reason"),
        (INSUFFICIENT_FUNDS, "cc_rejected_insufficient_amount"),
    ],
)
def test_a_declined_card_leaves_the_order_payable(
    customer, customer_client, place_order, number, detail
):
    order = place_order(customer)
    response = pay(customer_client, order, "card", card_token=card_token(customer_client, number))
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["status_detail"]) == ("rejected", detail)
    assert status(order) == Order.Status.PENDING_PAYMENT
    retry = pay(customer_client, order, "card", card_token=card_token(customer_client))
    assert retry.json()["status"] == "approved"
    assert status(order) == Order.Status.PAID


@pytest.mark.django_db(transaction=True)
def test_a_card_that_needs_3ds_waits_for_the_challenge(customer, customer_client, place_order):
    order = place_order(customer)
    token = card_token(customer_client, NEEDS_3DS)
    body = pay(customer_client, order, "card", card_token=token).json()
    assert body["status"] == "pending" and body["action_url"].startswith(
        "/api/payments/sandbox/3ds/"
    )
    assert status(order) == Order.Status.PENDING_PAYMENT
    assert customer_client.post(body["action_url"]).status_code == 202
    assert status(order) == Order.Status.PAID
    assert customer_client.get(f"/api/payments/{body['id']}").json()["action_url"] is None


def test_only_an_order_awaiting_payment_can_be_paid(customer, customer_client, place_order):
    order = place_order(customer)
    customer_client.post(f"/api/orders/{order.pk}/cancel")
    response = pay(customer_client, order)
    assert response.status_code == 409 and response.json()["code"] == "order_not_payable"
    assert not Payment.objects.exists()


def test_someone_elses_order_or_payment_is_not_found_on_every_payment_endpoint(
    customer, customer_client, place_order
):
    order = place_order(customer)
    payment = pay(customer_client, order).json()
    stranger = client_for(UserFactory())
    token = card_token(stranger)
    assert pay(stranger, order).status_code == 404
    assert pay(stranger, order, "card", card_token=token).status_code == 404
    assert stranger.get(f"/api/payments/{payment['id']}").status_code == 404
    assert stranger.post(f"/api/payments/sandbox/pix/{payment['id']}/pay").status_code == 404
    charge = Payment.objects.get().provider_payment_id
    assert stranger.post(f"/api/payments/sandbox/3ds/{charge}/complete").status_code == 404
    assert pay(stranger, Order(pk=10**6)).status_code == 404
    assert status(order) == Order.Status.PENDING_PAYMENT
    assert Payment.objects.count() == 1


@pytest.mark.django_db(transaction=True)  # the key's claim outside any transaction
def test_the_same_idempotency_key_resumes_the_same_charge(customer, customer_client, place_order):
    order = place_order(customer)
    headers = {"HTTP_IDEMPOTENCY_KEY": "pay-order-1"}
    first = customer_client.post(f"/api/orders/{order.pk}/payments", {"method": "pix"}, **headers)
    again = customer_client.post(f"/api/orders/{order.pk}/payments", {"method": "pix"}, **headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Payment.objects.count() == 1
    other = customer_client.post(
        f"/api/orders/{order.pk}/payments", {"method": "card", "card_token": "x"}, **headers
    )
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"


def test_staff_refund_a_paid_order_through_the_provider(
    customer, customer_client, admin_client, place_order
):
    product = ProductFactory(stock=5)
    order = place_order(customer, product)
    payment = pay(customer_client, order, "card", card_token=card_token(customer_client)).json()
    assert customer_client.post(f"/api/payments/{payment['id']}/refund").status_code == 403
    response = admin_client.post(f"/api/payments/{payment['id']}/refund")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "refunded"
    assert [t["kind"] for t in body["transactions"]][-1] == "refund"
    assert status(order) == Order.Status.REFUNDED
    again = admin_client.post(f"/api/payments/{payment['id']}/refund")
    assert again.status_code == 409 and again.json()["code"] == "payment_not_refundable"
    assert Product.objects.get(pk=product.pk).stock == 4  # the goods were sold; staff restock


@pytest.mark.django_db(transaction=True)
def test_a_second_payment_of_a_paid_order_is_refunded(customer, customer_client, place_order):
    order = place_order(customer)
    pix_payment = pay(customer_client, order).json()
    pay(customer_client, order, "card", card_token=card_token(customer_client))
    assert status(order) == Order.Status.PAID
    customer_client.post(f"/api/payments/sandbox/pix/{pix_payment['id']}/pay")
    payment = Payment.objects.get(pk=pix_payment["id"])
    assert (payment.status, payment.refund_due) == ("refunded", False)
    assert status(order) == Order.Status.PAID
    assert Order.objects.get(pk=order.pk).total == Decimal("49.90")
    assert len([m for m in mail.outbox if "Pagamento confirmado" in m.subject]) == 1


def test_sandbox_endpoints_do_not_exist_under_another_provider(customer_client, settings):
    settings.PAYMENT_PROVIDER = "mercadopago"
    response = customer_client.post("/api/payments/sandbox/card-tokens", {})
    assert response.status_code == 404
    assert customer_client.post("/api/payments/sandbox/pix/1/pay").status_code == 404
