"""Shipping methods, the options of an order, choosing shipping and what payment demands."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.tests.factories import UserFactory
from catalog.services import product_update
from catalog.tests.factories import ProductFactory
from delivery.models import Address, ShippingMethod
from orders.models import Order
from payments.tests.helpers import pay
from testing.clients import client_for
from testing.purchases import order_for

pytestmark = pytest.mark.django_db

ADDRESS = {
    "recipient_name": "Ana Lima",
    "cep": "20040020",
    "street": "Rua da Assembleia",
    "number": "10",
    "district": "Centro",
    "city": "Rio de Janeiro",
    "state": "RJ",
}


def method(**fields):
    defaults = {"name": "PAC", "kind": "delivery", "price": Decimal("19.90"), "max_days": 9}
    return ShippingMethod.objects.create(**{**defaults, **fields})


def address(customer, **fields):
    return Address.objects.create(customer=customer, **{**ADDRESS, **fields})


def unshipped_order(customer, price="100.00", quantity=1):
    """An order awaiting payment whose shipping is still to be chosen."""
    from orders.checkout import Checkout

    product = ProductFactory(price=price, stock=10)
    return order_for(customer, (product, quantity), checkout=Checkout())


def put_shipping(client, order, **body):
    return client.put(f"/api/orders/{order.pk}/shipping", body)


def test_administrators_manage_methods_and_customers_read_the_active_ones(
    admin_client, customer_client
):
    created = admin_client.post(
        "/api/shipping-methods",
        {
            "name": "SEDEX",
            "price": "39.90",
            "states": ["SP", "RJ", "SP"],
            "min_days": 1,
            "max_days": 3,
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["states"] == ["RJ", "SP"] and created.json()["kind"] == "delivery"
    method(name="Old", is_active=False)
    names = [m["name"] for m in customer_client.get("/api/shipping-methods").json()["results"]]
    assert names == ["SEDEX"]
    assert len(admin_client.get("/api/shipping-methods").json()["results"]) == 2
    refused = customer_client.post("/api/shipping-methods", {"name": "Mine", "price": "0"})
    assert refused.status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"name": "X", "price": "-1"},
        {"name": "X", "price": "1", "states": ["XX"]},
        {"name": "X", "price": "1", "min_days": 5, "max_days": 2},
        {"name": "X", "price": "1", "kind": "drone"},
    ],
)
def test_a_method_with_bad_terms_is_refused(admin_client, body):
    answer = admin_client.post("/api/shipping-methods", body)
    assert answer.status_code == 400, answer.content
    assert not ShippingMethod.objects.exists()


def test_a_method_orders_used_cannot_be_deleted_but_an_unused_one_can(admin_client, customer):
    order = order_for(customer)
    used = order.shipping_method
    assert admin_client.delete(f"/api/shipping-methods/{used.pk}").json()["code"] == (
        "shipping_method_in_use"
    )
    unused = method(name="Unused")
    assert admin_client.delete(f"/api/shipping-methods/{unused.pk}").status_code == 204


def test_the_options_are_the_methods_serving_the_address_at_their_price(customer, customer_client):
    order = unshipped_order(customer, price="150.00", quantity=2)  # R$ 300.00 of goods
    home = address(customer)
    pac = method(name="PAC", free_above=Decimal("299.00"))
    sedex = method(name="SEDEX", price=Decimal("39.90"), states=["SP"])
    pickup = method(name="Pickup", kind="pickup", price=Decimal("0"))
    answer = customer_client.get(f"/api/orders/{order.pk}/shipping-options?address_id={home.pk}")
    assert answer.status_code == 200
    options = {o["id"]: o["price"] for o in answer.json()}
    assert options == {pac.pk: "0.00", pickup.pk: "0.00"}  # SEDEX serves SP only; PAC is free
    assert sedex.pk not in options
    # With no address at all, only pickup applies.
    Address.objects.filter(customer=customer).delete()
    bare = customer_client.get(f"/api/orders/{order.pk}/shipping-options").json()
    assert [o["id"] for o in bare] == [pickup.pk]


def test_choosing_shipping_sets_the_fee_and_the_total_and_snapshots_the_address(
    customer, customer_client
):
    order = unshipped_order(customer, price="100.00")
    home = address(customer)
    pac = method()
    answer = put_shipping(customer_client, order, address_id=home.pk, shipping_method_id=pac.pk)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["subtotal"], body["shipping_price"], body["total"]) == (
        "100.00",
        "19.90",
        "119.90",
    )
    assert body["shipping"]["method"]["name"] == "PAC"
    assert body["shipping"]["address"]["city"] == "Rio de Janeiro"
    home.city = "Niterói"
    home.save()
    again = customer_client.get(f"/api/orders/{order.pk}").json()
    assert again["shipping"]["address"]["city"] == "Rio de Janeiro"  # as it was chosen
    assert order.ticket.__class__.objects.get(order=order).amount == Decimal("119.90")


def test_refused_shipping_choices_change_nothing(customer, customer_client):
    order = unshipped_order(customer)
    home = address(customer)
    sp_only = method(name="SP only", states=["SP"])
    others = address(UserFactory())
    inactive = method(name="Gone", is_active=False)
    cases = [
        ({"address_id": home.pk, "shipping_method_id": sp_only.pk}, 409, "shipping_unavailable"),
        ({"address_id": others.pk, "shipping_method_id": method().pk}, 404, "address_not_found"),
        ({"shipping_method_id": method(name="B").pk}, 400, "address_required"),
        (
            {"address_id": home.pk, "shipping_method_id": inactive.pk},
            404,
            "shipping_method_not_found",
        ),
        ({"address_id": home.pk, "shipping_method_id": 999999}, 404, "shipping_method_not_found"),
        ({"address_id": "x", "shipping_method_id": 1}, 400, "invalid"),
    ]
    for body, status, code in cases:
        answer = put_shipping(customer_client, order, **body)
        assert (answer.status_code, answer.json()["code"]) == (status, code), body
    order.refresh_from_db()
    assert order.shipping_method_id is None and order.total == order.subtotal


def test_another_customers_order_is_a_404(customer):
    order = unshipped_order(customer)
    stranger = client_for(UserFactory())
    answer = put_shipping(stranger, order, shipping_method_id=method(kind="pickup").pk)
    assert answer.status_code == 404


def test_payment_refuses_an_order_with_physical_lines_and_no_shipping(customer, customer_client):
    order = unshipped_order(customer)
    refused = pay(customer_client, order)
    assert refused.status_code == 409 and refused.json()["code"] == "shipping_required"
    assert not order.payments.exists()
    pickup = method(name="Pickup", kind="pickup", price=Decimal("0"))
    assert put_shipping(customer_client, order, shipping_method_id=pickup.pk).status_code == 200
    assert pay(customer_client, order).status_code == 201


def test_an_event_only_order_needs_no_shipping(customer, customer_client):
    show = product_update(
        product=ProductFactory(stock=10, price="80.00"),
        event={"starts_at": timezone.now() + timedelta(days=3), "venue": "Hall"},
    )
    order = order_for(customer, (show, 1))
    assert not order.needs_shipping
    pickup = method(kind="pickup")
    refused = put_shipping(customer_client, order, shipping_method_id=pickup.pk)
    assert refused.status_code == 409 and refused.json()["code"] == "no_shipping_needed"
    assert customer_client.get(f"/api/orders/{order.pk}/shipping-options").json() == []
    assert pay(customer_client, order).status_code == 201


def test_shipping_cannot_change_while_a_pix_charge_is_pending(customer, customer_client):
    order = unshipped_order(customer)
    home = address(customer)
    pac, sedex = method(), method(name="SEDEX", price=Decimal("39.90"))
    put_shipping(customer_client, order, address_id=home.pk, shipping_method_id=pac.pk)
    assert pay(customer_client, order).status_code == 201
    refused = put_shipping(customer_client, order, address_id=home.pk, shipping_method_id=sedex.pk)
    assert refused.status_code == 409 and refused.json()["code"] == "payment_in_progress"
    order.refresh_from_db()
    assert order.shipping_method_id == pac.pk and order.total == Decimal("119.90")
    assert order.payments.get().amount == order.total


def test_shipping_cannot_change_once_the_order_is_no_longer_awaiting_payment(
    customer, customer_client
):
    order = unshipped_order(customer)
    customer_client.post(f"/api/orders/{order.pk}/cancel")
    refused = put_shipping(customer_client, order, shipping_method_id=method(kind="pickup").pk)
    assert refused.status_code == 409 and refused.json()["code"] == "order_not_pending"


def test_the_purchase_takes_address_method_and_coupon_in_one_go(customer, customer_client):
    from delivery.models import Coupon

    product = ProductFactory(price="200.00", stock=5)
    customer_client.post(
        f"/api/carts/{customer.cart.pk}/items", {"product_id": product.pk, "quantity": 1}
    )
    home, pac = address(customer), method()
    Coupon.objects.create(code="BF10", kind="percent", value=10)
    answer = customer_client.post(
        f"/api/carts/{customer.cart.pk}/purchase",
        {"address_id": home.pk, "shipping_method_id": pac.pk, "coupon": "bf10"},
    )
    assert answer.status_code == 201, answer.content
    order = answer.json()["order"]
    assert (order["subtotal"], order["discount"], order["shipping_price"], order["total"]) == (
        "200.00",
        "20.00",
        "19.90",
        "199.90",
    )
    assert order["coupon_code"] == "BF10" and answer.json()["ticket"]["amount"] == "199.90"


def test_a_purchase_whose_choice_is_refused_changes_nothing(customer, customer_client):
    product = ProductFactory(price="200.00", stock=5)
    customer_client.post(
        f"/api/carts/{customer.cart.pk}/items", {"product_id": product.pk, "quantity": 1}
    )
    home = address(customer)
    sp_only = method(states=["SP"])
    cases = [
        ({"address_id": home.pk, "shipping_method_id": sp_only.pk}, "shipping_unavailable"),
        (
            {"address_id": home.pk, "shipping_method_id": method().pk, "coupon": "NOPE"},
            "coupon_unknown",
        ),
    ]
    for body, code in cases:
        answer = customer_client.post(f"/api/carts/{customer.cart.pk}/purchase", body)
        assert answer.status_code == 409 and answer.json()["code"] == code
    product.refresh_from_db()
    assert product.stock == 5 and not Order.objects.exists()
    assert customer.cart.items.count() == 1


def test_the_database_refuses_totals_that_do_not_add_up(customer):
    order = order_for(customer)
    for fields in (
        {"total": order.total + 1},
        {"discount": order.subtotal + 1, "total": Decimal("-1")},
        {"shipping_price": Decimal("-5"), "total": order.subtotal - 5},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Order.objects.filter(pk=order.pk).update(**fields)
