"""Purchases racing on real threads, each with its own database connection.

`pytest` runs these on SQLite (IMMEDIATE transactions queue the writers), `pytest --postgres`
on PostgreSQL (row locks taken in product-id order). Invariants are asserted, never timings.
"""

from collections import Counter

import pytest

from accounts.tests.factories import UserFactory
from carts.models import CartItem
from carts.services import cart_item_add
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from orders.models import Order, OrderLine
from testing.clients import client_for
from testing.concurrency import at_once
from tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


def race(customers):
    """Every customer POSTs a purchase at the same moment; return the status codes."""
    clients = [(client_for(c), c.cart.pk) for c in customers]

    def buy(i):
        client, cart_id = clients[i]
        return client.post(f"/api/carts/{cart_id}/purchase").status_code

    return Counter(at_once(len(clients), buy))


def test_fifty_customers_race_for_the_last_twenty_units():
    product = ProductFactory(stock=20)
    customers = UserFactory.create_batch(50)
    for customer in customers:
        cart_item_add(cart=customer.cart, product_id=product.pk, quantity=1)

    statuses = race(customers)

    assert statuses == {201: 20, 409: 30}
    assert Product.objects.get(pk=product.pk).stock == 0
    assert Order.objects.count() == Ticket.objects.count() == 20
    assert sum(OrderLine.objects.values_list("quantity", flat=True)) == 20
    # Winners' carts are empty; losers still hold their line.
    assert CartItem.objects.count() == 30


def test_carts_with_the_same_products_in_opposite_orders_never_deadlock():
    a = ProductFactory(stock=15)
    b = ProductFactory(stock=15)
    customers = UserFactory.create_batch(20)
    for i, customer in enumerate(customers):
        first, second = (a, b) if i % 2 == 0 else (b, a)
        cart_item_add(cart=customer.cart, product_id=first.pk, quantity=1)
        cart_item_add(cart=customer.cart, product_id=second.pk, quantity=1)

    statuses = race(customers)

    assert statuses == {201: 15, 409: 5}  # a deadlock would surface as 503
    assert list(Product.objects.filter(pk__in=[a.pk, b.pk]).values_list("stock", flat=True)) == [
        0,
        0,
    ]
    assert all(order.lines.count() == 2 for order in Order.objects.all())
    assert OrderLine.objects.count() == 30


def test_one_customer_double_submitting_with_one_key_buys_once():
    product = ProductFactory(stock=10)
    customer = UserFactory()
    cart_item_add(cart=customer.cart, product_id=product.pk, quantity=2)
    client = client_for(customer)

    def buy(_):
        return client.post(
            f"/api/carts/{customer.cart.pk}/purchase", HTTP_IDEMPOTENCY_KEY="double-click"
        ).status_code

    statuses = Counter(at_once(6, buy))

    # One purchase; the others replay it (201) or find it still running (409).
    assert statuses[201] >= 1 and set(statuses) <= {201, 409}
    assert Order.objects.count() == 1
    assert Product.objects.get(pk=product.pk).stock == 8
