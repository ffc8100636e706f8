"""Logging out ends the access token presented with it at once, everywhere."""

import pytest
from channels.testing import WebsocketCommunicator
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD
from accounts.websocket import AuthStack
from config.testing.concurrency import run_async

pytestmark = pytest.mark.django_db


def tokens_for(user):
    client = APIClient()
    body = {"email": user.email, "password": PASSWORD}
    return client.post("/api/auth/token", body, format="json").json()


def bearer(access):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def logout(access, refresh=None):
    body = {"refresh": refresh} if refresh else {}
    return bearer(access).post("/api/auth/logout", body, format="json")


@pytest.mark.parametrize("with_refresh", [True, False])
def test_the_access_token_presented_at_logout_is_refused_at_once(customer, with_refresh):
    tokens = tokens_for(customer)
    client = bearer(tokens["access"])
    assert client.get("/api/sessions/current").status_code == 200
    assert logout(tokens["access"], tokens["refresh"] if with_refresh else None).status_code == 204
    for path in ["/api/sessions/current", "/api/orders", f"/api/carts/{customer.cart.pk}"]:
        response = client.get(path)
        assert response.status_code == 401, path
        assert response.json()["code"] == "token_not_valid"
    # A public endpoint does not quietly treat the revoked token as anonymous either.
    assert client.get("/api/products").status_code == 401


def test_other_sessions_of_the_same_customer_keep_working(customer):
    first, second = tokens_for(customer), tokens_for(customer)
    assert logout(first["access"], first["refresh"]).status_code == 204
    assert bearer(second["access"]).get("/api/sessions/current").status_code == 200


def test_verify_calls_a_logged_out_access_token_invalid(customer, anon_client):
    tokens = tokens_for(customer)
    logout(tokens["access"])
    response = anon_client.post("/api/auth/token/verify", {"token": tokens["access"]})
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"
    # Any other valid token, refresh tokens included, still verifies.
    fresh = tokens_for(customer)
    for token in (fresh["access"], fresh["refresh"]):
        assert anon_client.post("/api/auth/token/verify", {"token": token}).status_code == 200


def test_the_denylist_lives_in_redis_no_longer_than_the_token(customer, use_redis, settings):
    import redis

    tokens = tokens_for(customer)
    assert logout(tokens["access"]).status_code == 204
    server = redis.Redis.from_url(use_redis.url)
    keys = server.keys("*jwt-denied*")
    assert len(keys) == 1
    lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds()
    assert 0 < server.ttl(keys[0]) <= lifetime + 1
    assert bearer(tokens["access"]).get("/api/sessions/current").status_code == 401


async def echo_user(scope, receive, send):
    """A bare WebSocket app that tells the client who the middleware says it is."""
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    user = scope["user"]
    await send({"type": "websocket.send", "text": user.email if user.is_authenticated else ""})
    await send({"type": "websocket.close"})


def websocket_user(query):
    async def connect():
        communicator = WebsocketCommunicator(AuthStack(echo_user), f"/ws/test/?{query}")
        connected, _ = await communicator.connect()
        assert connected
        text = await communicator.receive_from()
        await communicator.disconnect()
        return text

    return run_async(connect)


@pytest.mark.django_db(transaction=True)  # the socket's thread has its own connection
def test_websockets_refuse_a_logged_out_access_token(customer):
    tokens = tokens_for(customer)
    assert websocket_user(f"token={tokens['access']}") == customer.email
    logout(tokens["access"])
    assert websocket_user(f"token={tokens['access']}") == ""
    assert websocket_user("token=garbage") == ""
