"""The claim hot path with a real Redis: the lean ASGI handler, the gate, and the database
deciding whenever the two disagree."""

import asyncio
from collections import Counter

import pytest
import redis
from django.core.asgi import get_asgi_application

from accounts.tests.factories import AdminFactory, UserFactory
from accounts.tokens import token_pair_for
from flashsales import gate, services
from flashsales.asgi import ClaimHandler
from flashsales.models import Claim, FlashSale
from orders.services import order_cancel
from testing.clients import asgi_post
from testing.concurrency import run_async

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_gate(settings, redis_server):
    settings.REDIS_URL = redis_server.url
    gate._client.cache_clear()
    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    yield client
    client.flushall()
    gate._client.cache_clear()


def token(user):
    return str(token_pair_for(user).access_token)


async def post(app, sale_id, bearer=None, address="10.0.0.1"):
    return await asgi_post(
        app, f"/api/flash-sales/{sale_id}/claims", bearer=bearer, address=address
    )


def rush(tokens, sale_id, handler=None):
    """Every token claims at once through one handler (one worker's event loop)."""
    app = handler or ClaimHandler(get_asgi_application())

    async def scenario():
        return await asyncio.gather(*(post(app, sale_id, t) for t in tokens))

    return run_async(scenario)


@pytest.fixture
def writes(monkeypatch):
    """Count the claims that reach the database."""
    calls = []
    original = services.claim_admitted

    def counted(**kwargs):
        calls.append(kwargs["customer"].pk)
        return original(**kwargs)

    monkeypatch.setattr(services, "claim_admitted", counted)
    return calls


def test_refusals_are_answered_without_the_database(redis_gate, make_sale, writes):
    sale = make_sale(units_per_drop=3, drops=1)
    customers = UserFactory.create_batch(8)
    answers = rush([token(c) for c in customers], sale.pk)
    statuses = Counter(status for status, _, _ in answers)
    assert statuses == {201: 3, 409: 5}
    assert {body["code"] for status, body, _ in answers if status == 409} == {"sold_out"}
    created = [body for status, body, _ in answers if status == 201]
    assert set(created[0]) == {"claim_id", "order_id", "expires_at"}
    assert len(writes) == 3  # only the admitted reached the database
    assert Claim.objects.filter(sale=sale).count() == 3
    assert int(redis_gate.hget(gate.sale_key(sale.pk), "taken")) == 3


def test_a_worker_remembers_a_sold_out_drop_without_asking_redis(redis_gate, make_sale):
    sale = make_sale(units_per_drop=1, drops=1)
    handler = ClaimHandler(get_asgi_application())
    rush([token(UserFactory())], sale.pk, handler)
    rush([token(UserFactory())], sale.pk, handler)  # refused by the gate: remembered
    redis_gate.flushall()  # were Redis asked now, it would have to rebuild first
    status, body, _ = rush([token(UserFactory())], sale.pk, handler)[0]
    assert (status, body["code"]) == (409, "sold_out")
    assert not redis_gate.exists(gate.sale_key(sale.pk))


def test_a_logged_out_token_cannot_claim_even_after_redis_lost_the_denylist(
    redis_gate, use_redis, make_sale, writes
):
    from rest_framework.test import APIClient

    sale = make_sale(units_per_drop=5, drops=1)
    ana, bia = UserFactory(), UserFactory()
    ana_session, bia_session = token_pair_for(ana), token_pair_for(bia)
    client = APIClient()
    assert client.post("/api/auth/logout", {"refresh": str(ana_session)}).status_code == 204
    redis_gate.flushall()  # Redis restarted: the denylist, the gate and the rates are gone

    handler = ClaimHandler(get_asgi_application())
    refused = rush([str(ana_session.access_token)], sale.pk, handler)[0]
    assert (refused[0], refused[1]["code"]) == (401, "token_not_valid")
    status, _, _ = rush([str(bia_session.access_token)], sale.pk, handler)[0]
    assert status == 201
    assert writes == [bia.pk]


def test_the_limit_per_customer_holds_at_the_gate(redis_gate, make_sale, writes, customer):
    sale = make_sale(units_per_drop=10, drops=1)
    answers = rush([token(customer)] * 5, sale.pk)
    assert Counter(status for status, _, _ in answers) == {201: 1, 409: 4}
    assert {b["code"] for s, b, _ in answers if s == 409} == {"limit_reached"}
    assert len(writes) == 1


def test_a_redis_flushed_mid_rush_never_lets_more_through(redis_gate, make_sale):
    sale = make_sale(units_per_drop=20, drops=1)
    tokens = [token(c) for c in UserFactory.create_batch(60)]
    statuses = Counter()
    for wave in range(3):
        statuses.update(s for s, _, _ in rush(tokens[wave * 20 : wave * 20 + 20], sale.pk))
        redis_gate.flushall()  # a restart or a flush between waves
    assert statuses[201] == 20 and statuses[409] == 40
    assert FlashSale.objects.get(pk=sale.pk).units_taken == 20
    assert Claim.objects.filter(sale=sale).count() == 20


def test_a_claim_whose_order_write_fails_gives_its_unit_back(redis_gate, make_sale, monkeypatch):
    sale = make_sale(units_per_drop=1, drops=1)
    real_place = services.order_place

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "order_place", broken)
    status, body, _ = rush([token(UserFactory())], sale.pk)[0]
    assert (status, body["code"]) == (500, "server_error")
    assert int(redis_gate.hget(gate.sale_key(sale.pk), "taken")) == 0
    monkeypatch.setattr(services, "order_place", real_place)
    assert rush([token(UserFactory())], sale.pk)[0][0] == 201
    assert rush([token(UserFactory())], sale.pk)[0][1]["code"] == "sold_out"


def test_a_unit_given_back_is_claimable_again_through_the_gate(redis_gate, make_sale):
    sale = make_sale(units_per_drop=1, drops=1)
    first = UserFactory()
    assert rush([token(first)], sale.pk)[0][0] == 201
    assert rush([token(UserFactory())], sale.pk)[0][1]["code"] == "sold_out"
    order_cancel(order=Claim.objects.get(customer=first).order, by=first)
    assert rush([token(UserFactory())], sale.pk)[0][0] == 201


def test_claim_rates_per_customer_and_per_address_live_in_the_gate(
    redis_gate, make_sale, settings, mid_minute
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"claim": "2/min", "claim_address": "3/min"},
    }
    sale = make_sale(units_per_drop=10, drops=1)
    bot = token(UserFactory())
    answers = rush([bot] * 3, sale.pk)
    assert sorted(s for s, _, _ in answers) == [201, 409, 429]
    throttled = next(a for a in answers if a[0] == 429)
    assert throttled[1]["code"] == "throttled" and throttled[2][b"retry-after"] == b"30"
    others = rush([token(UserFactory()) for _ in range(2)], sale.pk)  # same address
    assert [s for s, _, _ in others].count(429) >= 1


def test_admins_anonymous_and_no_redis_go_through_django(redis_gate, make_sale, settings, customer):
    from accounts.services import guest_create

    sale = make_sale(units_per_drop=5, drops=1)
    assert rush([token(AdminFactory())], sale.pk)[0][0] == 403
    # A guest's token says so: Django refuses it (guests buy and pay, they do not claim).
    assert rush([token(guest_create(email="guest@example.com"))], sale.pk)[0][0] == 403
    assert rush([None], sale.pk)[0][0] == 401
    assert rush(["not-a-token"], sale.pk)[0][0] == 401
    settings.REDIS_URL = ""
    status, body, _ = rush([token(customer)], sale.pk)[0]
    assert status == 201 and set(body) == {"claim_id", "order_id", "expires_at"}


def test_an_admission_whose_worker_died_is_given_back_by_reconciliation(redis_gate, make_sale):
    sale = make_sale(units_per_drop=1, drops=1)
    dead = UserFactory()
    verdict = gate.admit(sale_id=sale.pk, customer_id=dead.pk, address="10.0.0.9")
    assert verdict.code == gate.Code.ADMIT  # ... and the worker was killed before writing
    assert rush([token(UserFactory())], sale.pk)[0][1]["code"] == "sold_out"
    assert gate.reconcile() == 1
    assert gate.reconcile() == 0
    assert rush([token(UserFactory())], sale.pk)[0][0] == 201


def test_a_claim_on_a_sale_that_does_not_exist_is_a_404_without_retrying(
    redis_gate, customer, monkeypatch
):
    rebuilds = []
    real_rebuild = gate.rebuild

    def counted(**kwargs):
        rebuilds.append(kwargs["sale_id"])
        return real_rebuild(**kwargs)

    monkeypatch.setattr(gate, "rebuild", counted)
    status, _, _ = rush([token(customer)], 10**9)[0]
    assert status == 404
    # once in the handler, once on Django's path: no loop waiting for a gate to appear
    assert rebuilds == [10**9, 10**9]


def test_a_token_from_before_a_password_change_is_refused_in_the_gate_s_own_call(
    redis_gate, use_redis, make_sale, monkeypatch
):
    from django.core.cache import cache

    from accounts.tokens import LOADED
    from flashsales import asgi

    cache.set(LOADED, True, timeout=None)  # the denylist is in Redis, as in a running shop
    sale, ana = make_sale(), UserFactory()
    before = token(ana)
    ana.set_password("a-new-strong-passphrase-2027")
    ana.save()  # ends every sign-in (accounts/tokens.py), in Redis once committed

    def not_asked(claims):
        raise AssertionError("the Lua script decides, without the database")

    monkeypatch.setattr(asgi, "token_is_denied", not_asked)
    [(status, _, _)] = rush([before], sale.pk)
    assert status == 401  # the gate said TOKEN_DENIED; Django answered in its own words
    assert not Claim.objects.exists()
    assert rush([token(ana)], sale.pk)[0][0] == 201  # a token minted since claims
