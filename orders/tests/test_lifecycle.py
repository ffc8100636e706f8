"""Orders awaiting payment: cancel, staff status changes, expiry (beat and embedded)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from orders.models import Order
from orders.services import order_transition, orders_expire
from testing.clients import client_for
from testing.concurrency import at_once, wait_for_background_tasks
from testing.purchases import order_for


def overdue(order):
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


def stock(product):
    return Product.objects.get(pk=product.pk).stock


@pytest.mark.django_db
def test_an_order_awaiting_payment_expires_after_the_hold(customer, customer_client, settings):
    settings.ORDER_HOLD_MINUTES = 30
    order = order_for(customer, (ProductFactory(), 1))
    body = customer_client.get(f"/api/orders/{order.pk}").json()
    expires = Order.objects.get(pk=order.pk).expires_at
    assert timedelta(minutes=29) < expires - timezone.now() <= timedelta(minutes=30)
    assert body["expires_at"] is not None


@pytest.mark.django_db
def test_the_owner_cancels_once_and_the_stock_comes_back(customer, customer_client, admin_client):
    product = ProductFactory(stock=5)
    order = order_for(customer, (product, 2))
    assert stock(product) == 3
    assert admin_client.post(f"/api/orders/{order.pk}/cancel").status_code == 403
    stranger = client_for(UserFactory())
    assert stranger.post(f"/api/orders/{order.pk}/cancel").status_code == 404
    response = customer_client.post(f"/api/orders/{order.pk}/cancel")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    assert [e["to_status"] for e in response.json()["timeline"]] == ["pending_payment", "cancelled"]
    again = customer_client.post(f"/api/orders/{order.pk}/cancel")
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
    assert stock(product) == 5


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "to", "expected"),
    [
        (Order.Status.PAID, "preparing", 200),
        (Order.Status.PAID, "shipped", 409),
        (Order.Status.PENDING_PAYMENT, "paid", 409),
        (Order.Status.PENDING_PAYMENT, "cancelled", 200),
        (Order.Status.PAID, "refunded", 409),
        (Order.Status.PAID, "nope", 400),
    ],
)
def test_staff_set_only_legal_fulfilment_steps(customer, admin_client, start, to, expected):
    order = order_for(customer, (ProductFactory(), 1))
    if start == Order.Status.PAID:
        order_transition(order=order, to=Order.Status.PAID)
    response = admin_client.post(f"/api/orders/{order.pk}/status", {"status": to})
    assert response.status_code == expected, response.content
    if expected == 200:
        assert response.json()["status"] == to
        assert response.json()["timeline"][-1]["to_status"] == to
    else:
        assert Order.objects.get(pk=order.pk).status == start


@pytest.mark.django_db
def test_customers_cannot_set_a_status(customer, customer_client):
    order = order_for(customer, (ProductFactory(), 1))
    response = customer_client.post(f"/api/orders/{order.pk}/status", {"status": "cancelled"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_expiry_takes_only_overdue_unpaid_orders_and_runs_idempotently(customer):
    product = ProductFactory(stock=10)
    late, fresh, paid = (order_for(customer, (product, 2)) for _ in range(3))
    order_transition(order=paid, to=Order.Status.PAID)
    overdue(late)
    overdue(paid)
    assert stock(product) == 4
    assert orders_expire() == 1
    assert orders_expire() == 0
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert (statuses[late.pk], statuses[fresh.pk], statuses[paid.pk]) == (
        Order.Status.EXPIRED,
        Order.Status.PENDING_PAYMENT,
        Order.Status.PAID,
    )
    assert stock(product) == 6


@pytest.mark.django_db(transaction=True)
def test_parallel_expiry_runs_give_the_stock_back_once():
    product = ProductFactory(stock=10)
    orders = [order_for(UserFactory(), (product, 1)) for _ in range(4)]
    for order in orders:
        overdue(order)
    assert sum(at_once(4, lambda i: orders_expire())) == 4
    assert stock(product) == 10
    assert set(Order.objects.values_list("status", flat=True)) == {Order.Status.EXPIRED}


@pytest.mark.django_db(transaction=True)
def test_cancel_and_expiry_racing_on_one_order_leave_one_winner():
    product = ProductFactory(stock=3)
    customer = UserFactory()
    order = order_for(customer, (product, 2))
    overdue(order)
    client = client_for(customer)

    def attempt(i):
        if i == 0:
            return client.post(f"/api/orders/{order.pk}/cancel").status_code
        return orders_expire()

    cancel_status, expired = at_once(2, attempt)
    assert (cancel_status, expired) in [(200, 0), (409, 1)]
    assert Order.objects.get(pk=order.pk).status in (Order.Status.CANCELLED, Order.Status.EXPIRED)
    assert stock(product) == 3


@pytest.mark.django_db(transaction=True)
def test_the_embedded_mode_expires_orders_without_a_beat_process(settings):
    from core.tasks import run_due_periodic_tasks

    settings.TASKS_IN_BACKGROUND = True
    product = ProductFactory(stock=2)
    order = order_for(UserFactory(), (product, 2))
    overdue(order)
    due = run_due_periodic_tasks(now=1e12)
    assert "orders.tasks.expire_orders" in due
    wait_for_background_tasks()
    assert Order.objects.get(pk=order.pk).status == Order.Status.EXPIRED
    assert stock(product) == 2
    assert run_due_periodic_tasks(now=1e12 + 1) == []  # not due again for 30 s


def test_finished_background_tasks_are_not_kept():
    from core import tasks

    tasks._submit(type("Task", (), {"apply": lambda self, **kw: None, "name": "noop"})(), ())
    wait_for_background_tasks()
    import time

    deadline = time.monotonic() + 2  # the done-callback runs just after the waiters wake
    while tasks._pending and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not tasks._pending
