import pytest

from accounts.tests.factories import UserFactory
from carts.models import CartItem
from catalog.tests.factories import ProductFactory
from testing.clients import client_for

pytestmark = pytest.mark.django_db


def cart_url(cart, suffix=""):
    return f"/api/carts/{cart.pk}{suffix}"


def add(client, cart, product_id, quantity=1):
    return client.post(
        cart_url(cart, "/items"), {"product_id": product_id, "quantity": quantity}, format="json"
    )


def lines(cart):
    return dict(CartItem.objects.filter(cart=cart).values_list("product_id", "quantity"))


def test_the_dto_points_at_the_customers_cart(customer_client, customer):
    assert customer_client.get("/api/sessions/current").json()["cart_id"] == customer.cart.pk


def test_add_creates_then_increases_a_line(customer_client, customer):
    product = ProductFactory(price="12.50")
    first = add(customer_client, customer.cart, product.pk, 2)
    assert first.status_code == 201, first.content
    again = add(customer_client, customer.cart, product.pk, 3)
    assert again.status_code == 200
    body = again.json()
    assert body["items"] == [
        {
            "product_id": product.pk,
            "name": product.name,
            "unit_price": "12.50",
            "quantity": 5,
            "subtotal": "62.50",
            "available": True,
        }
    ]
    assert body["total"] == "62.50"
    assert lines(customer.cart) == {product.pk: 5}


@pytest.mark.parametrize("quantity", [0, -1, 11, "two", None, 10**9])
def test_quantity_must_be_a_whole_number_within_the_limit(
    customer_client, customer, quantity, settings
):
    settings.CART_MAX_QUANTITY = 10
    response = add(customer_client, customer.cart, ProductFactory().pk, quantity)
    assert response.status_code == 400, response.content
    assert lines(customer.cart) == {}


def test_increasing_past_the_limit_is_400_and_keeps_the_line(customer_client, customer, settings):
    settings.CART_MAX_QUANTITY = 10
    product = ProductFactory()
    add(customer_client, customer.cart, product.pk, 8)
    response = add(customer_client, customer.cart, product.pk, 3)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_quantity"
    assert lines(customer.cart) == {product.pk: 8}


@pytest.mark.parametrize("product_id", ["archived", 999999, "abc"])
def test_unknown_or_archived_products_are_400(customer_client, customer, product_id):
    if product_id == "archived":
        product_id = ProductFactory(is_active=False).pk
    response = add(customer_client, customer.cart, product_id)
    assert response.status_code == 400
    assert lines(customer.cart) == {}


def test_set_remove_and_empty(customer_client, customer):
    a, b = ProductFactory(), ProductFactory()
    add(customer_client, customer.cart, a.pk)
    add(customer_client, customer.cart, b.pk)
    set_response = customer_client.patch(
        cart_url(customer.cart, f"/items/{a.pk}"), {"quantity": 4}, format="json"
    )
    assert set_response.status_code == 200
    assert lines(customer.cart) == {a.pk: 4, b.pk: 1}
    assert customer_client.delete(cart_url(customer.cart, f"/items/{b.pk}")).status_code == 204
    assert lines(customer.cart) == {a.pk: 4}
    assert customer_client.delete(cart_url(customer.cart, f"/items/{b.pk}")).status_code == 404
    assert (
        customer_client.patch(
            cart_url(customer.cart, f"/items/{b.pk}"), {"quantity": 1}, format="json"
        ).status_code
        == 404
    )
    assert (
        customer_client.patch(
            cart_url(customer.cart, f"/items/{a.pk}"), {"quantity": 0}, format="json"
        ).status_code
        == 400
    )
    assert customer_client.delete(cart_url(customer.cart, "/items")).status_code == 204
    assert lines(customer.cart) == {}


def test_another_customers_cart_is_404_and_untouched(customer_client):
    other = UserFactory()
    product = ProductFactory()
    add(client_for(other), other.cart, product.pk, 2)
    for response in (
        customer_client.get(cart_url(other.cart)),
        add(customer_client, other.cart, product.pk),
        customer_client.patch(
            cart_url(other.cart, f"/items/{product.pk}"), {"quantity": 5}, format="json"
        ),
        customer_client.delete(cart_url(other.cart, f"/items/{product.pk}")),
        customer_client.delete(cart_url(other.cart, "/items")),
        customer_client.post(cart_url(other.cart, "/purchase")),
    ):
        assert response.status_code == 404
    assert lines(other.cart) == {product.pk: 2}


def test_admins_may_read_a_cart_but_not_change_it(admin_client, customer):
    product = ProductFactory()
    assert admin_client.get(cart_url(customer.cart)).status_code == 200
    assert add(admin_client, customer.cart, product.pk).status_code == 403
    assert admin_client.post(cart_url(customer.cart, "/purchase")).status_code == 403
    assert lines(customer.cart) == {}


@pytest.mark.parametrize("product_id", ["999999999999999999999", "9223372036854775808", "0"])
def test_item_ids_the_database_cannot_hold_are_404_not_500(customer_client, customer, product_id):
    url = cart_url(customer.cart, f"/items/{product_id}")
    assert customer_client.delete(url).status_code == 404
    assert customer_client.patch(url, {"quantity": 1}, format="json").status_code == 404


def test_anonymous_gets_401(anon_client, customer):
    assert anon_client.get(cart_url(customer.cart)).status_code == 401
    assert add(anon_client, customer.cart, ProductFactory().pk).status_code == 401
