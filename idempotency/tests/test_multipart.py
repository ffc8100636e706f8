import pytest

from catalog.tests.factories import ProductFactory
from testing.clients import client_for
from testing.purchases import store_pickup

pytestmark = pytest.mark.django_db


def test_a_multipart_purchase_with_a_key_is_replayed_and_a_different_body_refused(customer):
    """A multipart body is read by the view before the key's fingerprint is taken."""
    client = client_for(customer)
    client.post(
        f"/api/carts/{customer.cart.pk}/items",
        {"product_id": ProductFactory(stock=5).pk, "quantity": 1},
    )
    url, key = f"/api/carts/{customer.cart.pk}/purchase", {"HTTP_IDEMPOTENCY_KEY": "k-1"}
    body = {**store_pickup(), "coupon": "NOSUCH"}
    answers = [client.post(url, body, format="multipart", **key) for _ in range(2)]
    assert [a.status_code for a in answers] == [409, 409]
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["code"] == "coupon_unknown"
    other = client.post(url, {**body, "coupon": "OTHER"}, format="multipart", **key)
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"
