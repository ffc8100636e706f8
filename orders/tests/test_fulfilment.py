"""Fulfilment: a delivery ships with its carrier and a verified tracking code, which the order,
the live frame and the "shipped" e-mail carry; a pickup order is handed over."""

from decimal import Decimal

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core import mail

from accounts.tests.factories import UserFactory
from accounts.tokens import token_pair_for
from config.asgi import application
from delivery.models import ShippingMethod
from delivery.tracking import s10_check_digit
from orders.checkout import Checkout
from orders.models import Order
from orders.services import order_pay, order_set_status, order_transition
from testing.concurrency import run_async
from testing.purchases import TRACKING, order_for

pytestmark = pytest.mark.django_db


def preparing(customer, **options):
    order = order_for(customer, **options)
    order_pay(order=order)
    return order_transition(order=order, to=Order.Status.PREPARING)


def ship(client, order, **body):
    return client.post(f"/api/orders/{order.pk}/status", {"status": "shipped", **body})


@pytest.mark.parametrize(
    ("serial", "digit"),
    [("12345678", 5), ("00000008", 0), ("00000000", 5), ("00000001", 4)],
)
def test_the_s10_check_digit(serial, digit):
    # 8 6 4 2 3 5 9 7 weights; 11 - sum mod 11, where 10 -> 0 and 11 -> 5.
    assert s10_check_digit(serial) == digit


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "tracking_required"),
        ({"carrier": "correios"}, "tracking_required"),
        ({"carrier": "correios", "tracking_code": "AA123456784BR"}, "invalid_tracking_code"),
        ({"carrier": "correios", "tracking_code": "AA12345678BR"}, "invalid_tracking_code"),
        ({"carrier": "pigeon", "tracking_code": "AA123456785BR"}, "unknown_carrier"),
        ({"carrier": "loggi", "tracking_code": "abc def!"}, "invalid_tracking_code"),
    ],
)
def test_shipping_without_a_valid_tracking_code_is_a_400_and_changes_nothing(
    admin_client, customer, body, code
):
    order = preparing(customer)
    answer = ship(admin_client, order, **body)
    assert (answer.status_code, answer.json()["code"]) == (400, code)
    order.refresh_from_db()
    assert (order.status, order.tracking_code) == ("preparing", "")


def test_a_shipped_order_carries_its_code_and_link_and_its_customer_is_mailed(
    admin_client, customer, customer_client, django_capture_on_commit_callbacks
):
    order = preparing(customer)
    with django_capture_on_commit_callbacks(execute=True):
        answer = ship(admin_client, order, carrier="Correios", tracking_code="aa 123456785 br")
    assert answer.status_code == 200, answer.content
    body = customer_client.get(f"/api/orders/{order.pk}").json()
    assert (body["status"], body["carrier"], body["tracking_code"]) == (
        "shipped",
        "correios",
        "AA123456785BR",
    )
    assert body["tracking_url"].endswith("objetos=AA123456785BR")
    [notice] = [m for m in mail.outbox if "foi enviado" in m.subject]
    assert notice.to == [customer.email]
    assert "AA123456785BR" in notice.body and body["tracking_url"] in notice.body


def test_a_delivery_is_shipped_before_it_is_delivered_and_a_pickup_is_handed_over(
    admin_client, customer
):
    delivery = preparing(customer)
    skipped = admin_client.post(f"/api/orders/{delivery.pk}/status", {"status": "delivered"})
    assert skipped.status_code == 409 and skipped.json()["code"] == "illegal_transition"
    pickup_method = ShippingMethod.objects.create(name="Loja", kind="pickup", price=Decimal(0))
    pickup = preparing(UserFactory(), checkout=Checkout(shipping_method_id=pickup_method.pk))
    shipped = ship(admin_client, pickup, carrier="correios", tracking_code="AA123456785BR")
    assert shipped.status_code == 409
    handed = admin_client.post(f"/api/orders/{pickup.pk}/status", {"status": "delivered"})
    assert handed.status_code == 200 and handed.json()["status"] == "delivered"


@pytest.mark.django_db(transaction=True)
def test_the_customers_socket_receives_the_tracking_code():
    customer = UserFactory()
    order = preparing(customer)
    access = str(token_pair_for(customer).access_token)

    async def scenario():
        ws = WebsocketCommunicator(application, f"/ws/orders/?token={access}")
        assert (await ws.connect())[0]
        await database_sync_to_async(order_set_status)(
            order=order, to="shipped", by=None, carrier="correios", tracking_code="AA123456785BR"
        )
        message = await ws.receive_json_from(timeout=2)
        await ws.disconnect()
        return message

    message = run_async(scenario)
    assert (message["status"], message["tracking_code"], message["carrier"]) == (
        "shipped",
        "AA123456785BR",
        "correios",
    )
    assert message["tracking_url"].endswith("AA123456785BR")


def test_staff_ship_from_the_admin_on_a_page_that_asks_each_code(staff_browser, customer):
    first, second = preparing(customer), preparing(UserFactory())
    selected = {"action": "mark_shipped", "_selected_action": [first.pk, second.pk]}
    asked = staff_browser.post("/admin/orders/order/", selected)
    assert asked.status_code == 200
    assert f'name="tracking_{first.pk}"' in asked.content.decode()
    assert Order.objects.filter(status="shipped").count() == 0
    done = staff_browser.post(
        "/admin/orders/order/",
        {
            **selected,
            "apply": "1",
            f"carrier_{first.pk}": "correios",
            f"tracking_{first.pk}": TRACKING[1],
            f"carrier_{second.pk}": "correios",
            f"tracking_{second.pk}": "AA123456784BR",  # wrong check digit
        },
        follow=True,
    ).content.decode()
    assert "1 order(s) now shipped" in done and f"#{second.pk}" in done
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert (statuses[first.pk], statuses[second.pk]) == ("shipped", "preparing")
    assert Order.objects.get(pk=first.pk).tracking_code == TRACKING[1]
