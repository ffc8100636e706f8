from decimal import Decimal

import pytest
from django.core import mail

from carts.models import CartItem
from carts.services import cart_item_add
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from idempotency.models import IdempotencyKey
from orders.models import Order
from testing.clients import client_for
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def fill(cart, *pairs):
    for product, quantity in pairs:
        cart_item_add(cart=cart, product_id=product.pk, quantity=quantity)


def purchase(client, cart, **headers):
    return client.post(f"/api/carts/{cart.pk}/purchase", **headers)


def test_purchase_buys_everything_in_stock(
    customer_client, customer, django_capture_on_commit_callbacks
):
    phone = ProductFactory(name="Phone", price=Decimal("1000.00"), stock=5)
    case = ProductFactory(name="Case", price=Decimal("49.90"), stock=10)
    fill(customer.cart, (phone, 1), (case, 2))
    with django_capture_on_commit_callbacks(execute=True):
        response = purchase(customer_client, customer.cart)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["unprocessed_product_ids"] == []
    ticket, order = body["ticket"], body["order"]
    assert set(ticket) == {"id", "code", "purchase_datetime", "amount", "purchaser"}
    assert (ticket["amount"], ticket["purchaser"]) == ("1099.80", customer.email)
    assert (order["status"], order["total"], order["ticket_code"]) == (
        "pending_payment",
        "1099.80",
        ticket["code"],
    )
    assert [
        (line["product_name"], line["quantity"], line["line_total"]) for line in order["lines"]
    ] == [
        ("Phone", 1, "1000.00"),
        ("Case", 2, "99.80"),
    ]
    assert order["timeline"][0]["to_status"] == "pending_payment"
    assert Product.objects.get(pk=phone.pk).stock == 4
    assert Product.objects.get(pk=case.pk).stock == 8
    assert not CartItem.objects.filter(cart=customer.cart).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [customer.email]
    assert ticket["code"] in mail.outbox[0].subject and ticket["code"] in mail.outbox[0].body
    assert Ticket.objects.get(code=ticket["code"]).emailed_at is not None


def test_purchase_leaves_unavailable_lines_in_the_cart_untouched(customer_client, customer):
    buyable = ProductFactory(stock=3)
    short = ProductFactory(stock=1)
    archived = ProductFactory(stock=50)
    fill(customer.cart, (buyable, 3), (short, 2), (archived, 1))
    Product.objects.filter(pk=archived.pk).update(is_active=False)
    response = purchase(customer_client, customer.cart)
    assert response.status_code == 201
    assert sorted(response.json()["unprocessed_product_ids"]) == sorted([short.pk, archived.pk])
    assert [line["product_id"] for line in response.json()["order"]["lines"]] == [buyable.pk]
    assert dict(
        CartItem.objects.filter(cart=customer.cart).values_list("product_id", "quantity")
    ) == {
        short.pk: 2,
        archived.pk: 1,
    }
    stocks = dict(Product.objects.values_list("pk", "stock"))
    assert (stocks[buyable.pk], stocks[short.pk], stocks[archived.pk]) == (0, 1, 50)


def test_nothing_buyable_is_409_and_creates_nothing(customer_client, customer):
    product = ProductFactory(stock=1)
    fill(customer.cart, (product, 2))
    response = purchase(customer_client, customer.cart)
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Nenhum dos produtos do carrinho tem estoque suficiente.",
        "code": "out_of_stock",
        "unprocessed_product_ids": [product.pk],
    }
    assert (Order.objects.count(), Ticket.objects.count()) == (0, 0)
    assert Product.objects.get(pk=product.pk).stock == 1
    assert CartItem.objects.filter(cart=customer.cart).count() == 1


def test_empty_cart_is_400(customer_client, customer):
    response = purchase(customer_client, customer.cart)
    assert response.status_code == 400
    assert response.json()["code"] == "empty_cart"


def test_order_keeps_the_price_and_name_of_the_moment_of_purchase(customer_client, customer):
    product = ProductFactory(name="Old name", price=Decimal("10.00"))
    fill(customer.cart, (product, 1))
    order_id = purchase(customer_client, customer.cart).json()["order"]["id"]
    Product.objects.filter(pk=product.pk).update(name="New name", price=Decimal("99.00"))
    line = customer_client.get(f"/api/orders/{order_id}").json()["lines"][0]
    assert (line["product_name"], line["unit_price"]) == ("Old name", "10.00")


def test_a_product_with_orders_is_archived_not_deleted(
    customer_client, customer, admin_client, anon_client
):
    product = ProductFactory(stock=5)
    fill(customer.cart, (product, 1))
    purchase(customer_client, customer.cart)
    response = admin_client.delete(f"/api/products/{product.pk}")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert Product.objects.filter(pk=product.pk, is_active=False).exists()
    assert anon_client.get("/api/products").json()["count"] == 0


# Idempotency-Key


def test_a_retried_purchase_returns_the_first_response_without_buying_again(
    customer_client, customer
):
    product = ProductFactory(stock=10)
    fill(customer.cart, (product, 2))
    first = purchase(customer_client, customer.cart, HTTP_IDEMPOTENCY_KEY="order-123")
    fill(customer.cart, (product, 1))  # the cart changed since
    retry = purchase(customer_client, customer.cart, HTTP_IDEMPOTENCY_KEY="order-123")
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert Ticket.objects.count() == 1
    assert Product.objects.get(pk=product.pk).stock == 8
    assert CartItem.objects.get(cart=customer.cart).quantity == 1


def test_a_retried_conflict_is_replayed_too(customer_client, customer):
    product = ProductFactory(stock=0)
    fill(customer.cart, (product, 1))
    first = purchase(customer_client, customer.cart, HTTP_IDEMPOTENCY_KEY="k1")
    Product.objects.filter(pk=product.pk).update(stock=5)
    retry = purchase(customer_client, customer.cart, HTTP_IDEMPOTENCY_KEY="k1")
    assert (first.status_code, retry.status_code) == (409, 409)
    assert retry.json() == first.json()
    assert Order.objects.count() == 0


def test_a_key_reused_with_another_body_is_409(customer_client, customer):
    fill(customer.cart, (ProductFactory(stock=5), 1))
    assert purchase(customer_client, customer.cart, HTTP_IDEMPOTENCY_KEY="same").status_code == 201
    fill(customer.cart, (ProductFactory(stock=5), 1))
    conflict = customer_client.post(
        f"/api/carts/{customer.cart.pk}/purchase",
        {"different": "body"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="same",
    )
    assert conflict.status_code == 409
    assert conflict.json()["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1


def test_a_key_reused_on_another_path_is_409(customer):
    from rest_framework.request import Request
    from rest_framework.response import Response
    from rest_framework.test import APIRequestFactory, force_authenticate

    from idempotency.services import IdempotencyKeyReused, idempotent_response

    def request_to(path):
        django_request = APIRequestFactory().post(path, HTTP_IDEMPOTENCY_KEY="k")
        force_authenticate(django_request, customer)
        request = Request(django_request)
        request.user = customer
        return request

    runs = []
    handler = lambda: runs.append(1) or Response({"ok": True}, status=201)  # noqa: E731
    assert (
        idempotent_response(request_to("/api/carts/1/purchase"), None, handler).status_code == 201
    )
    with pytest.raises(IdempotencyKeyReused):
        idempotent_response(request_to("/api/orders/1/payments"), None, handler)
    assert runs == [1]


def test_keys_are_scoped_to_the_customer(customer_client, customer):
    from accounts.tests.factories import UserFactory

    other = UserFactory()
    fill(customer.cart, (ProductFactory(), 1))
    fill(other.cart, (ProductFactory(), 1))
    mine = purchase(customer_client, customer.cart, HTTP_IDEMPOTENCY_KEY="shared-key")
    theirs = purchase(client_for(other), other.cart, HTTP_IDEMPOTENCY_KEY="shared-key")
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["ticket"]["code"] != theirs.json()["ticket"]["code"]


def test_a_key_still_in_progress_is_409_and_buys_nothing(customer_client, customer):
    from django.utils import timezone

    fill(customer.cart, (ProductFactory(stock=5), 1))
    first = purchase(customer_client, customer.cart, HTTP_IDEMPOTENCY_KEY="busy")
    record = IdempotencyKey.objects.get(key="busy")
    IdempotencyKey.objects.filter(pk=record.pk).update(
        state=IdempotencyKey.State.IN_PROGRESS, locked_at=timezone.now()
    )
    response = purchase(customer_client, customer.cart, HTTP_IDEMPOTENCY_KEY="busy")
    assert first.status_code == 201
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_in_use"
    assert Order.objects.count() == 1


def test_a_key_whose_request_died_is_taken_over_after_the_lease(
    customer_client, customer, settings
):
    from datetime import timedelta

    from django.utils import timezone

    settings.IDEMPOTENCY_LEASE_SECONDS = 60
    assert purchase(customer_client, customer.cart, HTTP_IDEMPOTENCY_KEY="k").status_code == 400
    # As if that request had died mid-way five minutes ago, before storing its answer.
    IdempotencyKey.objects.filter(key="k").update(
        state=IdempotencyKey.State.IN_PROGRESS, locked_at=timezone.now() - timedelta(minutes=5)
    )
    fill(customer.cart, (ProductFactory(stock=5), 1))
    retry = purchase(customer_client, customer.cart, HTTP_IDEMPOTENCY_KEY="k")
    assert retry.status_code == 201
    assert IdempotencyKey.objects.get(key="k").state == IdempotencyKey.State.COMPLETED
    assert purchase(customer_client, customer.cart, HTTP_IDEMPOTENCY_KEY="k").json() == retry.json()


@pytest.mark.parametrize("key", ["", "x" * 256, "chave-com-acentuação"])
def test_an_invalid_key_is_400(customer_client, customer, key):
    fill(customer.cart, (ProductFactory(), 1))
    response = purchase(customer_client, customer.cart, HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert Order.objects.count() == 0


def test_old_keys_are_purged_after_the_retention(customer):
    from datetime import timedelta

    from django.utils import timezone

    from idempotency.tasks import purge_idempotency_keys

    old = IdempotencyKey.objects.create(
        user=customer, key="old", fingerprint="x", locked_at=timezone.now()
    )
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    IdempotencyKey.objects.create(
        user=customer, key="fresh", fingerprint="x", locked_at=timezone.now()
    )
    assert purge_idempotency_keys.delay().get() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]


def test_a_5xx_answer_is_not_stored_and_its_writes_are_undone(customer):
    from rest_framework.request import Request
    from rest_framework.response import Response
    from rest_framework.test import APIRequestFactory

    from idempotency.services import idempotent_response

    request = Request(
        APIRequestFactory().post("/api/carts/1/purchase", HTTP_IDEMPOTENCY_KEY="flaky")
    )
    request.user = customer
    product = ProductFactory(stock=5)

    def flaky_handler():
        Product.objects.filter(pk=product.pk).update(stock=0)
        return Response({"detail": "down", "code": "service_unavailable"}, status=503)

    assert idempotent_response(request, None, flaky_handler).status_code == 503
    assert Product.objects.get(pk=product.pk).stock == 5
    assert not IdempotencyKey.objects.filter(key="flaky").exists()  # a retry runs again
