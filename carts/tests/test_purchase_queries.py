"""The purchase does only what it must: its round trips are pinned so they cannot creep back."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carts.services import cart_item_add
from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_mail(monkeypatch):
    """The ticket e-mail is queued after the commit and sent outside the request."""
    monkeypatch.setattr("tickets.services.enqueue", lambda *args: None)


def statements(queries) -> list[str]:
    return [q["sql"].split()[0] for q in queries.captured_queries]


@pytest.mark.parametrize("lines", [1, 3])
def test_a_purchase_takes_at_most_13_round_trips(customer, customer_client, no_mail, lines):
    for product in ProductFactory.create_batch(lines, stock=5):
        cart_item_add(cart=customer.cart, product_id=product.pk, quantity=2)
    with CaptureQueriesContext(connection) as queries:
        response = customer_client.post(f"/api/carts/{customer.cart.pk}/purchase")
    assert response.status_code == 201
    assert len(response.json()["order"]["lines"]) == lines
    # authenticate, (BEGIN), lock cart, items, lock products, one UPDATE of the stock,
    # order, lines, event, ticket, empty the lines, touch the cart, (COMMIT)
    assert len(queries) <= 13, statements(queries)
    assert statements(queries).count("UPDATE") == 2  # stock in one statement, and the cart


def test_the_response_is_built_from_the_objects_in_hand(customer, customer_client, no_mail):
    product = ProductFactory(stock=5)
    cart_item_add(cart=customer.cart, product_id=product.pk, quantity=1)
    with CaptureQueriesContext(connection) as queries:
        body = customer_client.post(f"/api/carts/{customer.cart.pk}/purchase").json()
    done = statements(queries)
    assert "SELECT" not in done[done.index("INSERT") :]  # nothing read back for the answer
    assert body["order"]["timeline"][0]["by"] == customer.email
    assert body["order"]["payments"] == [] and body["ticket"]["purchaser"] == customer.email


def test_with_an_idempotency_key_a_purchase_adds_four_round_trips(
    customer, customer_client, no_mail
):
    product = ProductFactory(stock=5)
    cart_item_add(cart=customer.cart, product_id=product.pk, quantity=1)
    with CaptureQueriesContext(connection) as queries:
        response = customer_client.post(
            f"/api/carts/{customer.cart.pk}/purchase", HTTP_IDEMPOTENCY_KEY="once"
        )
    assert response.status_code == 201
    done = statements(queries)
    # The claim is one INSERT committed on its own; the answer is stored by one UPDATE in
    # the purchase's transaction; the purchase keeps its savepoint there, so that a caller
    # holding a transaction can go on after a refused purchase.
    assert len(done) <= 17, done
    assert done[1:3] == ["INSERT", "BEGIN"], done  # after authenticating: the claim, committed


def test_a_purchase_with_shipping_and_a_coupon_adds_six_round_trips(
    customer, customer_client, no_mail
):
    from delivery.models import Coupon
    from testing.purchases import free_delivery

    chosen = free_delivery(customer)
    Coupon.objects.create(code="BF10", kind="percent", value=10, max_uses=100)
    cart_item_add(cart=customer.cart, product_id=ProductFactory(stock=5).pk, quantity=1)
    body = {
        "address_id": chosen.address_id,
        "shipping_method_id": chosen.shipping_method_id,
        "coupon": "BF10",
    }
    with CaptureQueriesContext(connection) as queries:
        response = customer_client.post(f"/api/carts/{customer.cart.pk}/purchase", body)
    assert response.status_code == 201 and response.json()["order"]["coupon_code"] == "BF10"
    # + the method, the address, the coupon locked, the customer's uses of it, its count,
    # and the order's totals
    assert len(queries) <= 13 + 6, statements(queries)
