"""The lean claim handler and Django answer every claim alike: the same status, body and the
headers a client acts on (Retry-After, the CSP, the request id it sent). Both count at one
moment (`mid_minute`), so even Retry-After agrees to the second."""

from datetime import timedelta

import pytest
import redis
from django.core.asgi import get_asgi_application
from rest_framework.test import APIClient

from accounts.services import guest_create
from accounts.tests.factories import AdminFactory, UserFactory
from accounts.tokens import access_token_for, token_pair_for
from flashsales import gate
from flashsales.asgi import ClaimHandler
from testing.clients import asgi_post
from testing.concurrency import run_async

pytestmark = pytest.mark.django_db(transaction=True)
REQUEST_ID = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def redis_gate(settings, use_redis):
    gate._client.cache_clear()
    redis.Redis.from_url(use_redis.url).flushall()
    yield
    gate._client.cache_clear()


def logged_out_token():
    session = token_pair_for(UserFactory())
    assert APIClient().post("/api/auth/logout", {"refresh": str(session)}).status_code == 204
    return str(session.access_token)


def expired_token():
    access = access_token_for(UserFactory())
    access.set_exp(lifetime=-timedelta(minutes=1))
    return str(access)


def one_unit_claimed(make_sale, app):
    sale = make_sale(units_per_drop=1, drops=1)
    first = str(access_token_for(UserFactory()))
    assert claim(app, sale.pk, first)[0] == 201
    return sale.pk, str(access_token_for(UserFactory()))


def limit_reached(make_sale, app):
    sale = make_sale(units_per_drop=5, drops=1, per_customer_limit=1)
    bearer = str(access_token_for(UserFactory()))
    assert claim(app, sale.pk, bearer)[0] == 201
    return sale.pk, bearer


def throttled(make_sale, app):
    sale = make_sale(units_per_drop=5, drops=1, per_customer_limit=5)
    bearer = str(access_token_for(UserFactory()))
    assert claim(app, sale.pk, bearer)[0] == 201
    return sale.pk, bearer


SCENARIOS = {
    "anonymous": lambda make_sale, app: (make_sale().pk, None),
    "logged_out": lambda make_sale, app: (make_sale().pk, logged_out_token()),
    "expired": lambda make_sale, app: (make_sale().pk, expired_token()),
    "guest": lambda make_sale, app: (
        make_sale().pk,
        str(access_token_for(guest_create(email="guest@example.com"))),
    ),
    "admin": lambda make_sale, app: (make_sale().pk, str(access_token_for(AdminFactory()))),
    "sold_out": one_unit_claimed,
    "limit_reached": limit_reached,
    "throttled": throttled,
    "not_open": lambda make_sale, app: (
        make_sale(first_drop_at=make_sale.clock() + timedelta(hours=1)).pk,
        str(access_token_for(UserFactory())),
    ),
}


def claim(app, sale_id, bearer, address="10.0.0.1"):
    async def scenario():
        return await asgi_post(
            app,
            f"/api/flash-sales/{sale_id}/claims",
            bearer=bearer,
            address=address,
            headers=[(b"x-request-id", REQUEST_ID.encode())],
        )

    return run_async(scenario)


def answer(scenario, make_sale, app, address):
    sale_id, bearer = SCENARIOS[scenario](make_sale, app)
    status, body, headers = claim(app, sale_id, bearer, address)
    kept = {
        name: headers.get(name.encode())
        for name in ("content-type", "content-security-policy", "x-request-id")
    }
    return status, body, kept, headers.get(b"retry-after")


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_the_handler_answers_as_django_does(
    scenario, redis_gate, make_sale, sale_clock, mid_minute, settings
):
    if scenario == "throttled":
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                "claim": "1/min",
            },
        }
    make_sale.clock = sale_clock
    django = get_asgi_application()
    by_django = answer(scenario, make_sale, django, "10.0.0.1")
    by_handler = answer(scenario, make_sale, ClaimHandler(django), "10.0.0.2")
    assert by_handler == by_django
    assert by_django[2]["x-request-id"] == REQUEST_ID.encode()
    assert by_django[2]["content-security-policy"]
    if scenario == "throttled":
        assert by_django[0] == 429
        assert by_django[3] == b"30"  # the minute's window closes 30 s after the moment
    else:
        assert by_django[3] is None


def test_a_claim_keeps_one_request_id_from_the_handler_s_log_lines_to_django_s_answer(
    redis_gate, make_sale, monkeypatch
):
    """No X-Request-ID sent: the handler makes one before its first log line, and a claim
    it hands to Django (the gate down, here) is answered under that same id."""
    from django_guid import get_guid

    from flashsales import asgi

    logged = []
    monkeypatch.setattr(asgi.logger, "warning", lambda *args: logged.append(get_guid()))

    async def gate_down(*args):
        raise redis.ConnectionError("down")

    handler = ClaimHandler(get_asgi_application())
    monkeypatch.setattr(handler, "_admit", gate_down)
    sale, bearer = make_sale(), str(access_token_for(UserFactory()))

    async def scenario():
        return await asgi_post(handler, f"/api/flash-sales/{sale.pk}/claims", bearer=bearer)

    status, _, headers = run_async(scenario)
    assert status == 201  # Django claimed it
    assert len(logged) == 1 and logged[0]
    assert headers[b"x-request-id"] == logged[0].encode()
