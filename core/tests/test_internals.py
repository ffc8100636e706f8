"""Each private Django and DRF internal behind core.internals, pinned: an upgrade that moves
one fails here, by name."""

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from rest_framework.request import Request

from catalog.models import Product
from catalog.tests.factories import ProductFactory
from core import internals
from orders.models import OrderLine

pytestmark = pytest.mark.django_db


def test_outermost_atomic_is_one_object_per_transaction_and_not_the_tests():
    assert connection.in_atomic_block  # the test's own transaction
    assert internals.outermost_atomic(connection) is None
    with transaction.atomic():
        first = internals.outermost_atomic(connection)
        with transaction.atomic():
            assert internals.outermost_atomic(connection) is first
    with transaction.atomic():
        assert internals.outermost_atomic(connection) is not first


def test_an_evaluated_queryset_answers_without_a_query(django_assert_num_queries):
    lines = [OrderLine(quantity=1), OrderLine(quantity=2)]
    queryset = internals.evaluated_queryset(OrderLine, lines)
    with django_assert_num_queries(0):
        assert list(queryset) == lines


def test_prefetched_relations_answer_without_a_query(django_assert_num_queries):
    product = ProductFactory()
    products = internals.evaluated_queryset(Product, [product])
    category = product.category
    internals.set_prefetched(category, {"products": products})
    with django_assert_num_queries(0):
        assert list(category.products.all()) == [product]


def test_a_forgotten_relation_is_read_again(django_assert_num_queries):
    product = Product.objects.select_related("category").get(pk=ProductFactory().pk)
    internals.forget_related(product, "category")
    with django_assert_num_queries(1):
        assert product.category.pk


def test_become_makes_an_unsaved_instance_the_saved_row():
    saved = ProductFactory()
    unsaved = Product(name=saved.name)
    internals.become(unsaved, saved)
    assert (unsaved.pk, unsaved._state.adding, unsaved._state.db) == (saved.pk, False, "default")


def test_the_django_request_under_a_drf_request():
    raw = RequestFactory().post("/", data=b"{}", content_type="application/json")
    assert internals.django_request(Request(raw)) is raw


def test_a_cached_property_given_its_value_is_not_computed():
    class Counted:
        from functools import cached_property

        @cached_property
        def count(self):
            raise AssertionError("computed")

    counted = Counted()
    internals.set_cached_property(counted, "count", 7)
    assert counted.count == 7
