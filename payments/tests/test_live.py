"""A customer watching `WS /ws/orders/` sees the order become paid when the webhook lands."""

import json
import urllib.request

import pytest
from channels.testing import WebsocketCommunicator
from django.db import connection
from rest_framework.test import APIClient

from accounts.tokens import token_pair_for
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
    access = str(token_pair_for(customer).access_token)

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


def test_a_webhook_served_by_gunicorn_reaches_a_socket_on_uvicorn(
    server_database_url, redis_server
):
    """The real thing: the provider's webhook lands on a gunicorn worker; the customer's
    socket is held by uvicorn, another process; the push crosses Redis."""
    from websockets.sync.client import connect

    from testing.shop import call, production_environment, serve

    env = production_environment(
        database_url=server_database_url, redis_url=redis_server.url, migrate=False
    )
    created = call("pix_approved", env=env, email="payer@example.com")
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
