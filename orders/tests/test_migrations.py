"""The data migrations, run forwards on rows shaped as they were before them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("orders", "0005_order_totals_shipping")]
AFTER = [("orders", "0006_backfill_needs_shipping")]


def test_orders_placed_before_shipping_existed_need_it_when_their_lines_are_physical(customer):
    from datetime import timedelta

    from django.utils import timezone

    from catalog.services import product_update
    from catalog.tests.factories import ProductFactory
    from testing.purchases import order_for

    show = product_update(
        product=ProductFactory(stock=5),
        event={"starts_at": timezone.now() + timedelta(days=3), "venue": "Hall"},
    )
    from orders.checkout import Checkout
    from orders.models import Order

    pending = order_for(customer, checkout=Checkout())
    paid = order_for(customer, checkout=Checkout())
    tickets = order_for(customer, (show, 1))
    Order.objects.filter(pk=paid.pk).update(status="paid")
    Order.objects.update(needs_shipping=False, shipping_kind="")  # as 0005 left them

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    rows = dict(Order.objects.values_list("pk", "needs_shipping"))
    kinds = dict(Order.objects.values_list("pk", "shipping_kind"))
    assert rows == {pending.pk: True, paid.pk: True, tickets.pk: False}
    assert kinds == {pending.pk: "", paid.pk: "delivery", tickets.pk: ""}
