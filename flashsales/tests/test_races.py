"""Claims racing on real threads, each with its own database connection, on SQLite and
PostgreSQL. Invariants are asserted (no oversell, the limit held), never timings."""

import contextlib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier, BrokenBarrierError

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory
from catalog.models import Product
from flashsales.models import Claim, FlashSale
from orders.models import Order
from testing.clients import client_for
from testing.concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)


def rush(sale, clients, threads=30):
    """Every client POSTs a claim; `threads` of them at a time, released together."""
    barrier = Barrier(threads)

    def claim(client):
        with contextlib.suppress(BrokenBarrierError):  # the last partial wave: go anyway
            barrier.wait(timeout=5)
        try:
            return client.post(f"/api/flash-sales/{sale.pk}/claims").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(threads) as pool:
        return Counter(pool.map(claim, clients))


def test_300_customers_for_100_units_get_exactly_100(make_sale):
    sale = make_sale(units_per_drop=100, drops=1)
    clients = [client_for(c) for c in UserFactory.create_batch(300)]
    statuses = rush(sale, clients)
    assert statuses == {201: 100, 409: 200}
    assert Claim.objects.filter(sale=sale).count() == 100
    assert Order.objects.filter(source="flash_sale").count() == 100
    sale = FlashSale.objects.get(pk=sale.pk)
    assert (sale.units_taken, sale.units_released) == (100, 100)
    assert Product.objects.get(pk=sale.product_id).stock == 0
    assert len(set(Claim.objects.values_list("customer", flat=True))) == 100


def test_one_customer_firing_20_claims_at_once_gets_one(customer, make_sale):
    sale = make_sale(units_per_drop=50, drops=1)
    client = client_for(customer)

    def claim(i):
        return client.post(f"/api/flash-sales/{sale.pk}/claims").status_code

    statuses = Counter(at_once(20, claim))
    assert statuses == {201: 1, 409: 19}
    assert Claim.objects.filter(customer=customer).count() == 1
    assert FlashSale.objects.get(pk=sale.pk).units_taken == 1
