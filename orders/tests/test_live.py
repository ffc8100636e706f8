"""`WS /ws/orders/`: customers see their orders' status change live; staff see every order."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from accounts.tests.factories import AdminFactory, UserFactory
from accounts.tokens import token_pair_for
from carts.services import cart_item_add, cart_purchase
from catalog.tests.factories import ProductFactory
from config.asgi import application
from orders.models import Order
from orders.services import order_transition
from testing.clients import handshake
from testing.concurrency import run_async

pytestmark = pytest.mark.django_db(transaction=True)


def token(user):
    return str(token_pair_for(user).access_token)


def pending_order(customer):
    cart_item_add(cart=customer.cart, product_id=ProductFactory().pk, quantity=1)
    return cart_purchase(cart=customer.cart).order


def test_a_customer_sees_their_order_become_paid_and_nothing_of_others():
    maria, joao = UserFactory(), UserFactory()
    mine, theirs = pending_order(maria), pending_order(joao)
    access = token(maria)

    async def scenario():
        ws = WebsocketCommunicator(application, f"/ws/orders/?token={access}")
        connected, _ = await ws.connect()
        assert connected
        await database_sync_to_async(order_transition)(order=theirs, to=Order.Status.PAID)
        await database_sync_to_async(order_transition)(order=mine, to=Order.Status.PAID)
        message = await ws.receive_json_from(timeout=1)
        assert await ws.receive_nothing(timeout=0.2)
        await ws.disconnect()
        return message

    message = run_async(scenario)
    assert message["type"] == "order.status"
    assert (message["order_id"], message["status"]) == (mine.pk, "paid")
    assert message["at"]


def test_staff_see_every_order():
    admin, order = AdminFactory(), pending_order(UserFactory())
    access = token(admin)

    async def scenario():
        ws = WebsocketCommunicator(application, f"/ws/orders/?token={access}")
        assert (await ws.connect())[0]
        await database_sync_to_async(order_transition)(order=order, to=Order.Status.CANCELLED)
        message = await ws.receive_json_from(timeout=1)
        await ws.disconnect()
        return message

    assert run_async(scenario)["status"] == "cancelled"


@pytest.mark.parametrize(
    ("query", "headers", "refusal"),
    [
        ("", [], "denied"),  # no token, no Origin: a cookie client that hides where it is from
        ("", [(b"origin", b"http://localhost"), (b"host", b"localhost")], 4401),
        ("?token=garbage", [], 4401),
        ("", [(b"origin", b"http://evil.example.com")], "denied"),  # the Origin check
    ],
)
def test_anyone_else_is_refused(query, headers, refusal):
    async def scenario():
        return await handshake(
            WebsocketCommunicator(application, f"/ws/orders/{query}", headers=headers)
        )

    assert run_async(scenario) == refusal


def test_a_browser_session_needs_an_allowed_origin_and_a_token_client_needs_none(settings):
    from django.test import Client

    customer = UserFactory()
    client = Client()
    client.force_login(customer)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()

    async def connect(path, headers):
        ws = WebsocketCommunicator(application, path, headers=headers)
        connected, _ = await ws.connect()
        await ws.disconnect()
        return connected

    page = [(b"cookie", cookie), (b"host", b"localhost:8000")]
    allowed = [*page, (b"origin", b"http://localhost:8000")]
    assert run_async(connect, "/ws/orders/", allowed)
    assert not run_async(connect, "/ws/orders/", page)  # no Origin
    for foreign in [
        b"http://evil.example.com",
        b"http://localhost:9999",
        b"https://localhost:8000",
        b"http://localhost",
        b"null",
    ]:  # another site, port or scheme
        assert not run_async(connect, "/ws/orders/", [*page, (b"origin", foreign)]), foreign
    # An origin the settings trust (the page served elsewhere, behind a proxy) is accepted.
    settings.CSRF_TRUSTED_ORIGINS = ["https://shop.example.com"]
    assert run_async(connect, "/ws/orders/", [*page, (b"origin", b"https://shop.example.com")])
    access = token(customer)
    assert run_async(connect, f"/ws/orders/?token={access}", [])  # an app


def test_a_change_made_in_another_process_reaches_the_real_server_live(
    server_database_url, redis_server
):
    """uvicorn serves the socket; the status changes in a separate process (as a gunicorn
    worker or a Celery task would), and the push crosses Redis."""
    import json

    from websockets.sync.client import connect

    from testing.shop import call, production_environment, serve

    env = production_environment(
        database_url=server_database_url, redis_url=redis_server.url, migrate=False
    )
    created = call("orders_placed", env=env, email="live@example.com")
    with serve("uvicorn", env, workers=1) as port:
        url = f"ws://127.0.0.1:{port}/ws/orders/?token={created['token']}"
        with connect(url, open_timeout=10) as websocket:
            call("order_paid", env=env, order=created["order"])
            message = json.loads(websocket.recv(timeout=1))  # within a second of the commit
    assert message["type"] == "order.status"
    assert (message["order_id"], message["status"]) == (created["order"], "paid")


def test_a_channel_layer_that_is_down_never_fails_the_status_change(settings, caplog):
    from channels.layers import channel_layers

    from core.live import _publisher
    from ops.servers import free_port

    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{free_port()}/0"]},  # nothing listens
        }
    }
    channel_layers.backends.clear()
    try:
        order = pending_order(UserFactory())
        order_transition(order=order, to=Order.Status.CANCELLED)  # commits, then publishes
        _publisher.drain(timeout=10)
    finally:
        channel_layers.backends.clear()
    assert Order.objects.get(pk=order.pk).status == "cancelled"
    assert "Could not publish an event" in caplog.text
