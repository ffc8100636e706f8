"""Guest customers: an e-mail and no password; cart, purchase and payment, nothing more.
Registering with the same e-mail takes nothing of theirs: only an account that proves the
mailbox adopts them."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import guests_adopt
from catalog.services import product_update
from catalog.tests.factories import ProductFactory
from orders.models import Order
from payments.tests.helpers import card_token, pay
from testing.purchases import store_pickup
from tickets.models import Admission, Ticket

pytestmark = pytest.mark.django_db
PASSWORD = "a-strong-passphrase-2026"


def as_guest(email="kiosk@example.com") -> tuple[APIClient, dict]:
    response = APIClient().post("/api/auth/guest", {"email": email}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access']}")
    return client, body


def buy(client, cart_id: int, product) -> dict:
    added = client.post(f"/api/carts/{cart_id}/items", {"product_id": product.pk, "quantity": 1})
    assert added.status_code == 201, added.content
    shipping = {} if getattr(product, "event", None) else store_pickup()
    bought = client.post(f"/api/carts/{cart_id}/purchase", shipping)
    assert bought.status_code == 201, bought.content
    return bought.json()


def test_a_guest_fills_a_cart_purchases_and_pays_and_the_ticket_goes_to_its_email(
    django_capture_on_commit_callbacks,
):
    client, body = as_guest("Kiosk@Example.com")
    assert set(body) == {"access", "refresh", "user"}
    user = body["user"]
    assert (user["email"], user["role"]) == ("kiosk@example.com", "customer")
    assert user["cart_id"] is not None
    with django_capture_on_commit_callbacks(execute=True):
        bought = buy(client, user["cart_id"], ProductFactory(price="80.00", stock=3))
    assert bought["ticket"]["purchaser"] == "kiosk@example.com"
    order = Order.objects.get(pk=bought["order"]["id"])
    with django_capture_on_commit_callbacks(execute=True):
        paid = pay(client, order, "card", card_token=card_token(client))
    assert paid.status_code == 201 and paid.json()["status"] == "approved"
    assert {m.to[0] for m in mail.outbox} == {"kiosk@example.com"}
    assert len(mail.outbox) == 2  # the ticket, then the payment confirmation
    refreshed = APIClient().post("/api/auth/token/refresh", {"refresh": body["refresh"]})
    assert refreshed.status_code == 200


def test_each_guest_sees_only_its_own_orders():
    product = ProductFactory(stock=5)
    first, first_body = as_guest()
    buy(first, first_body["user"]["cart_id"], product)
    second, second_body = as_guest()  # the same e-mail, typed by someone else
    assert second_body["user"]["id"] != first_body["user"]["id"]
    assert second.get("/api/orders").json()["count"] == 0
    assert second.get("/api/tickets").json()["count"] == 0
    assert first.get("/api/orders").json()["count"] == 1


def test_a_guest_cannot_sign_in_with_a_password_nor_use_a_registered_email(customer):
    as_guest("nopass@example.com")
    login = APIClient().post("/api/auth/token", {"email": "nopass@example.com", "password": ""})
    assert login.status_code in (400, 401)
    login = APIClient().post(
        "/api/auth/token", {"email": "nopass@example.com", "password": "anything-at-all"}
    )
    assert login.status_code == 401
    taken = APIClient().post("/api/auth/guest", {"email": customer.email.upper()}, format="json")
    assert taken.status_code == 409 and taken.json()["code"] == "email_registered"
    bad = APIClient().post("/api/auth/guest", {"email": "not an e-mail"}, format="json")
    assert bad.status_code == 400
    assert User.objects.filter(is_guest=True).count() == 1


def register(email: str) -> APIClient:
    body = {"email": email, "password": PASSWORD, "first_name": "Ana", "last_name": "Lima"}
    registered = APIClient().post("/api/auth/register", body, format="json")
    assert registered.status_code == 201, registered.content
    login = APIClient().post("/api/auth/token", {"email": email, "password": PASSWORD})
    assert login.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}")
    return client


def test_registering_a_guests_email_hands_the_stranger_nothing_of_the_guests():
    """Typing an e-mail into the sign-up form proves nothing about the mailbox (audit C1)."""
    concert = product_update(
        product=ProductFactory(stock=5, price="150.00"),
        event={"starts_at": timezone.now() + timedelta(days=7), "venue": "Casino Hall"},
    )
    guest, guest_body = as_guest("ana@example.com")
    order_id = buy(guest, guest_body["user"]["cart_id"], concert)["order"]["id"]
    paid = pay(guest, Order.objects.get(pk=order_id), "card", card_token=card_token(guest))
    assert paid.status_code == 201 and paid.json()["status"] == "approved"
    admission = Admission.objects.get(order_id=order_id)

    stranger = register("ana@example.com")

    for path in ("/api/orders", "/api/tickets", "/api/admissions"):
        assert stranger.get(path).json()["count"] == 0, path
    assert stranger.get(f"/api/orders/{order_id}").status_code == 404
    assert stranger.get(f"/api/payments/{paid.json()['id']}").status_code == 404
    assert stranger.get(f"/api/admissions/{admission.code}").status_code == 404
    # The guest keeps everything, and its tokens still work.
    assert Order.objects.get(pk=order_id).customer_id == guest_body["user"]["id"]
    assert guest.get("/api/orders").json()["count"] == 1
    assert guest.get(f"/api/admissions/{admission.code}").status_code == 200
    refreshed = APIClient().post("/api/auth/token/refresh", {"refresh": guest_body["refresh"]})
    assert refreshed.status_code == 200


def test_guests_adopt_hands_every_guests_orders_to_the_account_that_proved_the_email():
    product = ProductFactory(stock=5)
    first, first_body = as_guest("ana@example.com")
    second, second_body = as_guest("ana@example.com")
    bought = [
        buy(first, first_body["user"]["cart_id"], product),
        buy(second, second_body["user"]["cart_id"], product),
    ]
    client = register("ana@example.com")
    ana = User.objects.get(email="ana@example.com", is_guest=False)

    guests_adopt(user=ana)  # what verifying the e-mail does

    assert set(Order.objects.filter(customer=ana).values_list("pk", flat=True)) == {
        b["order"]["id"] for b in bought
    }
    assert Ticket.objects.filter(customer=ana).count() == 2
    assert client.get("/api/orders").json()["count"] == 2
    # The guests' tokens stop working: their orders have an owner now.
    assert first.get("/api/orders").status_code == 401
    assert not User.objects.filter(is_guest=True, is_active=True).exists()
    again = APIClient().post("/api/auth/guest", {"email": "ana@example.com"}, format="json")
    assert again.status_code == 409


def test_a_second_account_with_the_same_email_is_still_refused():
    body = {"email": "bia@example.com", "password": PASSWORD, "first_name": "B", "last_name": "C"}
    as_guest("bia@example.com")
    assert APIClient().post("/api/auth/register", body, format="json").status_code == 201
    twice = APIClient().post("/api/auth/register", body, format="json")
    assert twice.status_code == 400
    assert twice.json()["errors"]["email"] == ["A user with this e-mail already exists."]


def test_guests_cannot_claim_flash_sales_nor_chat():
    from chat.services import CustomersOnly, message_post
    from flashsales.services import flash_sale_create

    client, body = as_guest()
    sale = flash_sale_create(
        product=ProductFactory(stock=2),
        units_per_drop=1,
        drops=2,
        first_drop_at=timezone.now() - timedelta(minutes=1),
    )
    claim = client.post(f"/api/flash-sales/{sale.pk}/claims")
    assert claim.status_code == 403
    guest = User.objects.get(pk=body["user"]["id"])
    with pytest.raises(CustomersOnly):
        message_post(user=guest, text="oi")
