"""A broker (Redis) that is down after the commit loses the publish, never the answer: the
purchase and the payment report their success, and the beat sweeps send the e-mails whose
tasks were lost, once. Run on both databases (`pytest`, `pytest --postgres`)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from carts.services import cart_item_add, cart_purchase
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from config.celery import app
from ops.servers import free_port
from orders.models import Order
from payments.models import Payment
from payments.tasks import send_unsent_payment_confirmations
from payments.tests.helpers import card_token, pay
from testing.purchases import store_pickup
from tickets.models import Ticket
from tickets.tasks import send_unsent_ticket_emails

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(settings):
    """Celery publishing to a Redis address where nothing listens, as during an outage."""
    saved = (app.conf.broker_url, app.conf.task_always_eager, app._pool, app.amqp._producer_pool)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.broker_url, app.conf.task_always_eager = f"redis://127.0.0.1:{free_port()}/0", False
    # The connection and producer pools are built from the broker URL on first use.
    app._pool = app.amqp._producer_pool = None
    yield
    app.conf.broker_url, app.conf.task_always_eager, app._pool, app.amqp._producer_pool = saved


def test_a_purchase_and_a_payment_with_the_broker_down_succeed_and_the_sweeps_mail_them(
    broker_down, customer, customer_client, django_capture_on_commit_callbacks
):
    product = ProductFactory(price="80.00", stock=2)
    cart = customer.cart.pk
    customer_client.post(f"/api/carts/{cart}/items", {"product_id": product.pk, "quantity": 1})
    token = card_token(customer_client)
    with django_capture_on_commit_callbacks(execute=True):
        bought = customer_client.post(f"/api/carts/{cart}/purchase", store_pickup())
    assert bought.status_code == 201, bought.content
    order_id = bought.json()["order"]["id"]
    with django_capture_on_commit_callbacks(execute=True):
        paid = pay(customer_client, Order.objects.get(pk=order_id), "card", card_token=token)
    assert paid.status_code == 201 and paid.json()["status"] == "approved"
    assert Product.objects.get(pk=product.pk).stock == 1
    assert Order.objects.get(pk=order_id).status == "paid"
    assert mail.outbox == []  # both tasks were lost with the broker
    ticket = Ticket.objects.get(order_id=order_id)
    assert ticket.emailed_at is None

    # The sweeps leave the normal path its two minutes first.
    assert send_unsent_ticket_emails() == 0 and send_unsent_payment_confirmations() == 0
    earlier = timezone.now() - timedelta(minutes=3)
    Ticket.objects.filter(pk=ticket.pk).update(purchase_datetime=earlier)
    Payment.objects.filter(order_id=order_id).update(updated_at=earlier)

    assert send_unsent_ticket_emails() == 1 and send_unsent_payment_confirmations() == 1
    assert sorted(m.subject.split(":")[0].split(" ")[0] for m in mail.outbox) == [
        "Pagamento",
        "Sua",
    ]
    assert send_unsent_ticket_emails() == 0 and send_unsent_payment_confirmations() == 0
    assert len(mail.outbox) == 2


def test_the_sweeps_leave_old_rows_alone(customer):
    cart_item_add(cart=customer.cart, product_id=ProductFactory(stock=1).pk, quantity=1)
    order = cart_purchase(cart=customer.cart).order  # its e-mail task never ran
    Ticket.objects.filter(order=order).update(purchase_datetime=timezone.now() - timedelta(days=2))
    assert send_unsent_ticket_emails() == 0
    assert mail.outbox == []
