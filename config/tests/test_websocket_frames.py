"""Every consumer answers a frame it cannot read with `bad_frame` and keeps the connection,
and a socket of a logged-out session gets nothing more (through config.asgi)."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from accounts.tokens import token_pair_for
from catalog.tests.factories import ProductFactory
from config.asgi import application
from flashsales.services import flash_sale_create
from orders.services import order_cancel
from testing.clients import handshake
from testing.concurrency import run_async

pytestmark = pytest.mark.django_db(transaction=True)
UNREADABLE = ["not json", "[" * 50_000 + "]" * 50_000, b"\x00\xffbinary", '["a", "list"]']


def sale_path() -> str:
    sale = flash_sale_create(
        product=ProductFactory(stock=2),
        units_per_drop=1,
        drops=2,
        first_drop_at=timezone.now() - timedelta(minutes=1),
    )
    return f"/ws/flash-sales/{sale.pk}/"


@pytest.mark.parametrize("consumer", ["orders", "flash-sales"])
@pytest.mark.parametrize("frame", UNREADABLE, ids=["text", "deep", "binary", "list"])
def test_an_unreadable_frame_is_a_bad_frame_and_the_connection_stays(consumer, frame):
    path = "/ws/orders/" if consumer == "orders" else sale_path()
    access = token_pair_for(UserFactory()).access_token

    async def scenario():
        ws = WebsocketCommunicator(application, f"{path}?token={access}")
        connected, _ = await ws.connect()
        assert connected
        if consumer == "flash-sales":
            await ws.receive_json_from(timeout=2)  # the figures on connect
        sent = {"bytes_data": frame} if isinstance(frame, bytes) else {"text_data": frame}
        await ws.send_to(**sent)
        error = await ws.receive_json_from(timeout=2)
        await ws.send_json_to({"type": "ping"})  # still connected: answered, not dropped
        after = await ws.receive_json_from(timeout=2)
        await ws.disconnect()
        return error, after

    error, after = run_async(scenario)
    assert (error["type"], error["code"]) == ("error", "bad_frame")
    assert (after["type"], after["code"]) == ("error", "read_only")


def test_an_order_socket_of_a_logged_out_session_is_closed_instead_of_pushed_to():
    from carts.services import cart_item_add, cart_purchase

    customer = UserFactory()
    session = token_pair_for(customer)
    cart_item_add(cart=customer.cart, product_id=ProductFactory(stock=1).pk, quantity=1)
    order = cart_purchase(cart=customer.cart).order

    async def scenario():
        ws = WebsocketCommunicator(application, f"/ws/orders/?token={session.access_token}")
        connected, _ = await ws.connect()
        assert connected
        logout = await database_sync_to_async(APIClient().post)(
            "/api/auth/logout", {"refresh": str(session)}, format="json"
        )
        await database_sync_to_async(order_cancel)(order=order, by=customer)
        closed = await ws.receive_output(timeout=2)
        return logout.status_code, closed

    status, closed = run_async(scenario)
    assert status == 204
    assert closed == {"type": "websocket.close", "code": 4401}


def test_a_handshake_while_redis_is_down_is_refused_not_a_crash(settings):
    from ops.servers import free_port

    access = token_pair_for(UserFactory()).access_token
    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens: Redis is down
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": dead,
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }

    async def scenario():
        return await handshake(WebsocketCommunicator(application, f"/ws/orders/?token={access}"), 5)

    assert run_async(scenario) == 1013  # try again later
