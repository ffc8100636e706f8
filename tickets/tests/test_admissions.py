"""Event admissions: issued when an order is paid, voided by its refund, checked in once.

Races run on real threads with their own connections: `pytest` on SQLite, `pytest
--postgres` on PostgreSQL. Invariants are asserted, never timings.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.tests.factories import AdminFactory, UserFactory
from carts.services import cart_item_add
from catalog.services import product_update
from catalog.tests.factories import ProductFactory
from core.exceptions import ApplicationError
from orders.models import Order
from orders.services import order_pay
from payments.models import Payment, SandboxCharge
from payments.providers import sandbox
from payments.services import payment_refund
from payments.tests.helpers import pay
from testing.clients import client_for
from testing.concurrency import at_once
from testing.purchases import order_for
from tickets.admissions import admission_check_in
from tickets.models import Admission, CheckInAttempt

# A test that races threads or needs a real commit (work after it, another connection)
# marks itself transaction=True.
pytestmark = pytest.mark.django_db


def show(capacity=100):
    starts = timezone.now() + timedelta(days=7)
    return product_update(
        product=ProductFactory(stock=capacity, price="150.00"),
        event={"starts_at": starts, "venue": "Casino Hall"},
    )


def ordered(customer, *lines):
    return order_for(customer, *lines)


def paid_by_webhook(customer, order, deliveries=1):
    """Pay with Pix as the customer's app would; the bank approves; the webhook arrives."""
    client = client_for(customer)
    payment = Payment.objects.get(pk=pay(client, order).json()["id"])
    SandboxCharge.objects.filter(charge_id=payment.provider_payment_id).update(status="approved")
    headers, body = sandbox.notification(payment.provider_payment_id)
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    for _ in range(deliveries):
        response = client.post(
            "/api/payments/webhooks/sandbox", body, content_type="application/json", **extra
        )
        assert response.status_code == 200, response.content
    return payment


@pytest.mark.django_db(transaction=True)
def test_paying_issues_one_admission_per_event_unit_and_a_replayed_webhook_nothing_more():
    customer, concert = UserFactory(), show()
    order = ordered(customer, (concert, 2), (ProductFactory(), 1))  # one line is no event
    assert not Admission.objects.exists()  # not before payment

    paid_by_webhook(customer, order, deliveries=4)  # the same notification, four times

    admissions = list(Admission.objects.filter(order=order))
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
    assert len(admissions) == 2
    assert {a.product_id for a in admissions} == {concert.pk}
    assert {a.holder for a in admissions} == {customer.email}
    assert {a.status for a in admissions} == {"valid"}
    codes = {a.code for a in admissions}
    assert len(codes) == 2 and all(len(code) == 32 for code in codes)  # 160 random bits
    confirmation = next(m for m in mail.outbox if m.subject.startswith("Pagamento confirmado"))
    assert all(code in confirmation.body for code in codes)


def test_a_refund_voids_them_and_the_door_then_answers_admission_void():
    customer, concert = UserFactory(), show()
    order = ordered(customer, (concert, 1))
    payment = paid_by_webhook(customer, order)
    admission = Admission.objects.get(order=order)

    payment_refund(payment=Payment.objects.get(pk=payment.pk), by=AdminFactory())

    assert Admission.objects.get(pk=admission.pk).status == "void"
    response = client_for(AdminFactory()).post(
        "/api/admissions/check-in", {"code": admission.code}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "admission_void"


def test_check_in_admits_once_then_says_when_and_records_every_scan():
    customer, concert, door = UserFactory(), show(), AdminFactory()
    order = ordered(customer, (concert, 1))
    order_pay(order=order)
    code = Admission.objects.get(order=order).code
    staff = client_for(door)

    first = staff.post("/api/admissions/check-in", {"code": code.lower()}, format="json")
    assert first.status_code == 200, first.content
    admitted = first.json()["admission"]
    assert (admitted["code"], admitted["status"]) == (code, "used") and admitted["checked_in_at"]
    again = staff.post("/api/admissions/check-in", {"code": code}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "already_checked_in"
    assert again.json()["checked_in_at"] == admitted["checked_in_at"]
    unknown = staff.post("/api/admissions/check-in", {"code": "NOPE"}, format="json")
    assert unknown.status_code == 404
    customer_try = client_for(customer).post("/api/admissions/check-in", {"code": code})
    assert customer_try.status_code == 403

    assert list(CheckInAttempt.objects.order_by("id").values_list("result", flat=True)) == [
        "admitted",
        "already_checked_in",
        "unknown_code",
    ]
    assert Admission.objects.get(code=code).checked_in_by == door


@pytest.mark.django_db(transaction=True)
def test_twenty_scanners_reading_one_code_at_once_admit_exactly_one():
    customer, concert, door = UserFactory(), show(), AdminFactory()
    order = ordered(customer, (concert, 1))
    order_pay(order=order)
    code = Admission.objects.get(order=order).code

    def scan(i):
        try:
            admission_check_in(code=code, by=door)
            return "admitted"
        except ApplicationError as refusal:
            return refusal.code

    assert Counter(at_once(20, scan)) == {"admitted": 1, "already_checked_in": 19}
    assert CheckInAttempt.objects.filter(result="admitted").count() == 1
    assert CheckInAttempt.objects.count() == 20


@pytest.mark.django_db(transaction=True)
def test_two_hundred_customers_race_for_the_last_fifty_seats():
    concert = show(capacity=50)
    customers = UserFactory.create_batch(200)
    for customer in customers:
        cart_item_add(cart=customer.cart, product_id=concert.pk, quantity=1)
    clients = [(client_for(c), c.cart.pk) for c in customers]

    def buy(i):
        client, cart_id = clients[i]
        return client.post(f"/api/carts/{cart_id}/purchase").status_code

    assert Counter(at_once(200, buy)) == {201: 50, 409: 150}
    concert.refresh_from_db()
    assert concert.stock == 0
    for order in Order.objects.all():
        order_pay(order=order)
    assert Admission.objects.count() == 50
    assert Admission.objects.values("code").distinct().count() == 50


def test_customers_see_their_own_admissions_and_a_qr_code():
    customer, stranger, concert = UserFactory(), UserFactory(), show()
    order = ordered(customer, (concert, 2))
    order_pay(order=order)
    mine = client_for(customer).get("/api/admissions").json()
    assert mine["count"] == 2
    code = mine["results"][0]["code"]
    assert set(mine["results"][0]) == {
        "code",
        "product_id",
        "order_id",
        "holder",
        "status",
        "checked_in_at",
    }
    assert client_for(customer).get(f"/api/admissions/{code}").json()["order_id"] == order.pk
    assert client_for(stranger).get(f"/api/admissions/{code}").status_code == 404
    assert client_for(stranger).get("/api/admissions").json()["count"] == 0
    qr = client_for(customer).get(f"/api/admissions/{code}/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<svg")
    assert client_for(stranger).get(f"/api/admissions/{code}/qr.svg").status_code == 404


def test_staff_find_admissions_by_code_or_e_mail_and_see_the_scans(client):
    customer, concert = UserFactory(), show()
    order = ordered(customer, (concert, 1))
    order_pay(order=order)
    admission = Admission.objects.get(order=order)
    admission_check_in(code=admission.code, by=AdminFactory())
    client.force_login(AdminFactory())
    for query in (admission.code, customer.email):
        found = client.get("/admin/tickets/admission/", {"q": query})
        assert found.status_code == 200 and admission.code in found.content.decode()
    page = client.get(f"/admin/tickets/admission/{admission.pk}/change/").content.decode()
    assert "admitted" in page.lower()
    assert client.get("/admin/tickets/checkinattempt/").status_code == 200


def test_the_door_overview_counts_capacity_sold_held_and_checked_in(client):
    concert = show(capacity=10)
    paid, pending = UserFactory(), UserFactory()
    order_pay(order=ordered(paid, (concert, 3)))
    ordered(pending, (concert, 2))  # awaiting payment: held
    admission_check_in(code=Admission.objects.first().code, by=AdminFactory())
    client.force_login(AdminFactory())
    page = client.get("/admin/tickets/eventatthedoor/").content.decode()
    row = page[page.index(concert.name) :]
    cells = [c.split(">")[-1] for c in row.split("</td>")[:7]]
    # capacity, sold, awaiting payment, left, checked in
    assert cells[2:7] == ["10", "3", "2", "5", "1"], cells
