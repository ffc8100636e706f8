"""Logging out ends its session at once, everywhere, whichever of its tokens it presents;
a Redis that lost its data brings none of them back."""

import pytest
from channels.testing import WebsocketCommunicator
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from accounts.tests.factories import PASSWORD
from accounts.websocket import AuthStack
from testing.concurrency import run_async

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


def test_the_denylist_lives_in_redis_no_longer_than_the_tokens(customer, use_redis, settings):
    import redis

    tokens = tokens_for(customer)
    assert logout(tokens["access"]).status_code == 204
    server = redis.Redis.from_url(use_redis.url)
    access, session = (AccessToken(tokens["access"])[claim] for claim in ("jti", "sid"))
    ttl = {token_id: server.ttl(f":1:jwt-denied:{token_id}") for token_id in (access, session)}
    lifetimes = settings.SIMPLE_JWT
    assert 0 < ttl[access] <= lifetimes["ACCESS_TOKEN_LIFETIME"].total_seconds() + 1
    # The session's last refresh token could live this long: the session is refused as long.
    assert ttl[access] < ttl[session] <= lifetimes["REFRESH_TOKEN_LIFETIME"].total_seconds() + 1
    assert bearer(tokens["access"]).get("/api/sessions/current").status_code == 401


def test_logout_with_the_refresh_token_alone_ends_the_whole_session(customer, anon_client):
    """DESIGN's form of logout, `{refresh}` and no Authorization header (audit M6)."""
    tokens = tokens_for(customer)
    rotated = anon_client.post("/api/auth/token/refresh", {"refresh": tokens["refresh"]}).json()
    assert anon_client.post("/api/auth/logout", {"refresh": rotated["refresh"]}).status_code == 204
    for access in (tokens["access"], rotated["access"]):  # before and after the rotation
        assert bearer(access).get("/api/sessions/current").status_code == 401
        assert anon_client.post("/api/auth/token/verify", {"token": access}).status_code == 401
    assert websocket_user(f"token={rotated['access']}") == ""
    refused = anon_client.post("/api/auth/token/refresh", {"refresh": rotated["refresh"]})
    assert refused.status_code == 401


def test_logout_with_the_access_token_alone_ends_its_refresh_token_too(customer, anon_client):
    tokens = tokens_for(customer)
    assert logout(tokens["access"]).status_code == 204
    refused = anon_client.post("/api/auth/token/refresh", {"refresh": tokens["refresh"]})
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_not_valid"


@pytest.mark.django_db(transaction=True)  # the socket's thread has its own connection
def test_a_redis_restart_brings_no_logged_out_token_back(customer, use_redis):
    """The denylist's record is the database; Redis only answers (audit M2)."""
    import redis

    tokens, other = tokens_for(customer), tokens_for(customer)
    anon = APIClient()
    assert logout(tokens["access"]).status_code == 204
    redis.Redis.from_url(use_redis.url).flushall()  # Redis restarted empty

    assert bearer(tokens["access"]).get("/api/sessions/current").status_code == 401
    assert anon.post("/api/auth/token/verify", {"token": tokens["access"]}).status_code == 401
    assert anon.post("/api/auth/token/refresh", {"refresh": tokens["refresh"]}).status_code == 401
    assert websocket_user(f"token={tokens['access']}") == ""
    # The denylist is back in Redis, and another session of the customer was never touched.
    assert redis.Redis.from_url(use_redis.url).exists(":1:jwt-denied:loaded")
    assert bearer(other["access"]).get("/api/sessions/current").status_code == 200


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
