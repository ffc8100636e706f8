import re

import pytest

from accounts.tests.factories import UserFactory
from carts.services import cart_item_add
from catalog.tests.factories import ProductFactory
from testing.purchases import purchase
from tickets.models import Ticket, new_ticket_code

pytestmark = pytest.mark.django_db


def test_codes_are_long_random_and_readable():
    codes = {new_ticket_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(re.fullmatch(r"[A-Z2-7]{24}", code) for code in codes)  # 120 bits of base32


def test_customers_see_their_tickets_by_code_and_not_others(customer_client, customer):
    mine = purchase(customer).ticket
    theirs = purchase(UserFactory()).ticket
    listed = customer_client.get("/api/tickets").json()
    assert [t["code"] for t in listed["results"]] == [mine.code]
    detail = customer_client.get(f"/api/tickets/{mine.code}").json()
    assert (detail["purchaser"], detail["amount"], detail["order_id"]) == (
        customer.email,
        "100.00",
        mine.order_id,
    )
    assert len(detail["lines"]) == 1
    assert customer_client.get(f"/api/tickets/{theirs.code}").status_code == 404
    assert customer_client.get("/api/tickets/NOPE").status_code == 404


def test_admins_see_every_ticket(admin_client, customer):
    ticket = purchase(customer).ticket
    assert admin_client.get(f"/api/tickets/{ticket.code}").status_code == 200
    assert admin_client.get("/api/tickets").json()["count"] == 1


def test_the_ticket_email_goes_out_once(customer, mailoutbox):
    from tickets.tasks import send_ticket_email

    ticket = purchase(customer).ticket
    assert send_ticket_email.delay(ticket.pk).get() is True
    assert send_ticket_email.delay(ticket.pk).get() is False
    assert len(mailoutbox) == 1
    assert Ticket.objects.get(pk=ticket.pk).emailed_at is not None


@pytest.mark.django_db(transaction=True)
def test_the_ticket_email_is_sent_after_the_purchase_answers(settings, monkeypatch):
    """Embedded mode: the e-mail runs on a background thread, never inside the request."""
    import threading

    from django.core import mail

    from testing.clients import client_for
    from testing.concurrency import wait_for_background_tasks
    from tickets import tasks

    settings.TASKS_IN_BACKGROUND = True
    gate = threading.Event()
    send = tasks.ticket_email_send

    def send_when_released(*, ticket_id):
        gate.wait(timeout=10)
        return send(ticket_id=ticket_id)

    monkeypatch.setattr(tasks, "ticket_email_send", send_when_released)
    customer = UserFactory()
    cart_item_add(cart=customer.cart, product_id=ProductFactory().pk, quantity=1)
    response = client_for(customer).post(f"/api/carts/{customer.cart.pk}/purchase")
    assert response.status_code == 201
    assert mail.outbox == []  # the answer did not wait for the e-mail
    gate.set()
    wait_for_background_tasks()
    assert len(mail.outbox) == 1
    assert Ticket.objects.get().emailed_at is not None
