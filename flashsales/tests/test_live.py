"""`WS /ws/flash-sales/{id}/`: watchers see the remaining units drop, a few frames a second."""

import time

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connection

from accounts.tests.factories import UserFactory
from accounts.tokens import token_pair_for
from config.asgi import application
from flashsales.services import claim_create
from testing.clients import handshake
from testing.concurrency import run_async

pytestmark = pytest.mark.django_db(transaction=True)


def url(sale_id, user):
    return f"/ws/flash-sales/{sale_id}/?token={token_pair_for(user).access_token}"


def test_watchers_see_the_remaining_units_drop_in_coalesced_frames(make_sale):
    sale = make_sale(units_per_drop=10, drops=2)
    watcher, buyers = UserFactory(), UserFactory.create_batch(6)
    path = url(sale.pk, watcher)

    def claim(buyer):
        try:
            claim_create(sale_id=sale.pk, customer=buyer)
        finally:
            connection.close()

    async def scenario():
        ws = WebsocketCommunicator(application, path)
        assert (await ws.connect())[0]
        first = await ws.receive_json_from(timeout=1)
        started = time.monotonic()
        for buyer in buyers:  # a burst of claims, as other requests would make them
            await sync_to_async(claim, thread_sensitive=False)(buyer)
        frames = []
        while not await ws.receive_nothing(timeout=0.6):
            frames.append(await ws.receive_json_from())
        await ws.disconnect()
        return first, frames, time.monotonic() - started

    first, frames, elapsed = run_async(scenario)
    assert first["type"] == "flashsale.remaining"
    assert (first["remaining"], first["status"], first["current_drop"]) == (10, "open", 0)
    assert first["next_drop_at"] is not None
    assert frames and frames[-1]["remaining"] == 4
    assert len(frames) <= elapsed / 0.25 + 1  # at most one frame per 250 ms


def test_only_signed_in_watchers_of_a_sale_that_exists(make_sale):
    sale = make_sale()

    async def closed_with(path):
        page = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
        code = await handshake(WebsocketCommunicator(application, path, headers=page))
        await sync_to_async(lambda: connection.close())()  # the consumers' database thread
        return code

    assert run_async(closed_with, f"/ws/flash-sales/{sale.pk}/") == 4401  # a visitor's page
    assert run_async(closed_with, url(10**6, UserFactory())) == 4404
