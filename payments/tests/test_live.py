"""A customer watching `WS /ws/orders/` sees the order become paid when the webhook lands."""

import json
import urllib.request

import pytest
from channels.testing import WebsocketCommunicator
from django.db import connection
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from config.asgi import application
from payments.models import Payment, SandboxCharge
from payments.providers import sandbox
from payments.tests.helpers import pay
from testing.concurrency import run_async

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_customer_socket_receives_paid_when_the_webhook_lands(
    customer, customer_client, place_order
):
    order = place_order(customer)
    payment = Payment.objects.get(pk=pay(customer_client, order).json()["id"])
    SandboxCharge.objects.filter(charge_id=payment.provider_payment_id).update(status="approved")
    headers, body = sandbox.notification(payment.provider_payment_id)
    access = str(RefreshToken.for_user(customer).access_token)

    def deliver():  # as a provider would: another request, on another thread
        try:
            return APIClient().post(
                "/api/payments/webhooks/sandbox",
                body,
                content_type="application/json",
                HTTP_X_SIGNATURE=headers["X-Signature"],
            )
        finally:
            connection.close()

    async def scenario():
        from asgiref.sync import sync_to_async

        ws = WebsocketCommunicator(application, f"/ws/orders/?token={access}")
        assert (await ws.connect())[0]
        response = await sync_to_async(deliver, thread_sensitive=False)()
        message = await ws.receive_json_from(timeout=1)
        await ws.disconnect()
        return response.status_code, message

    code, message = run_async(scenario)
    assert code == 200
    assert message["type"] == "order.status"
    assert (message["order_id"], message["status"]) == (order.pk, "paid")


SETUP = """
import json
from accounts.services import user_create
from carts.services import cart_item_add, cart_purchase
from catalog.models import Category, Product
from payments.models import SandboxCharge
from payments.providers import sandbox
from payments.services import payment_start
from rest_framework_simplejwt.tokens import RefreshToken
customer = user_create(email="payer@example.com", password="a-strong-passphrase")
category = Category.objects.create(name="Live", slug="live")
product = Product.objects.create(name="Radio", slug="radio", sku="RADIO", price="10.00",
                                 stock=5, category=category)
cart_item_add(cart=customer.cart, product_id=product.pk, quantity=1)
order = cart_purchase(cart=customer.cart).order
payment = payment_start(order=order, customer=customer, method="pix")
SandboxCharge.objects.filter(charge_id=payment.provider_payment_id).update(status="approved")
headers, body = sandbox.notification(payment.provider_payment_id)
print(json.dumps({"order": order.pk, "token": str(RefreshToken.for_user(customer).access_token),
                  "signature": headers["X-Signature"], "body": body.decode()}))
"""


def test_a_webhook_served_by_gunicorn_reaches_a_socket_on_uvicorn(
    server_database_url, redis_server
):
    """The real thing: the provider's webhook lands on a gunicorn worker; the customer's
    socket is held by uvicorn, another process; the push crosses Redis."""
    from websockets.sync.client import connect

    from testing.shop import manage, production_environment, serve

    env = production_environment(database_url=server_database_url, redis_url=redis_server.url)
    created = json.loads(manage("shell", "-c", SETUP, env=env).strip().splitlines()[-1])
    with serve("uvicorn", env, workers=1) as ws_port, serve("gunicorn", env, workers=1) as port:
        url = f"ws://127.0.0.1:{ws_port}/ws/orders/?token={created['token']}"
        with connect(url, open_timeout=10) as websocket:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/payments/webhooks/sandbox",
                data=created["body"].encode(),
                headers={"Content-Type": "application/json", "X-Signature": created["signature"]},
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                assert json.load(response) == {"result": "processed"}
            message = json.loads(websocket.recv(timeout=1))  # within a second of the commit
    assert message["type"] == "order.status"
    assert (message["order_id"], message["status"]) == (created["order"], "paid")
