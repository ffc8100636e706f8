"""core.locks: one order across tables, pk order within one, never outside a transaction."""

import pytest
from django.db import connection, transaction

from accounts.tests.factories import UserFactory
from carts.models import Cart
from catalog.models import Category, Product
from catalog.tests.factories import ProductFactory
from core.locks import LOCK_ORDER, LockOrderViolated, LockOutsideTransaction, lock, lock_one
from orders.models import Order

pytestmark = pytest.mark.django_db


def test_a_lock_outside_a_transaction_is_refused():
    with pytest.raises(LockOutsideTransaction):
        lock(Product.objects.all())


def test_rows_come_locked_in_primary_key_order(django_assert_num_queries):
    products = [ProductFactory() for _ in range(3)]
    with transaction.atomic(), django_assert_num_queries(1) as captured:
        rows = list(lock(Product.objects.filter(pk__in=[p.pk for p in products]).order_by("-pk")))
    assert [row.pk for row in rows] == sorted(p.pk for p in products)
    if connection.vendor == "postgresql":
        assert 'FOR UPDATE OF "catalog_product"' in captured.captured_queries[0]["sql"]


def test_tables_are_taken_in_the_documented_order_and_a_held_one_may_be_read_again():
    customer = UserFactory()
    product = ProductFactory()
    with transaction.atomic():
        lock_one(Cart.objects, pk=customer.cart.pk)
        lock_one(Product.objects, pk=product.pk)
        with pytest.raises(LockOrderViolated, match=r"orders\.order locked after catalog\.product"):
            lock(Order.objects.all())
        lock_one(Cart.objects, pk=customer.cart.pk)  # held already: waits for no one


def test_each_transaction_starts_a_fresh_trail():
    product = ProductFactory()
    with transaction.atomic():
        lock_one(Product.objects, pk=product.pk)
    with transaction.atomic():
        list(lock(Order.objects.all()))  # a new transaction: nothing is held


def test_a_table_without_a_place_in_the_order_is_refused():
    assert "catalog.category" not in LOCK_ORDER
    with transaction.atomic(), pytest.raises(LockOrderViolated, match="no place"):
        lock(Category.objects.all())
