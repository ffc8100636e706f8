import pytest
from django.core.management import call_command

from accounts.models import User
from orders.models import Order
from payments.models import Payment
from payments.tests.helpers import card_token, pay

pytestmark = pytest.mark.django_db


def test_staff_see_a_payment_with_its_log_and_refund_it_with_the_action(
    staff_browser, customer, customer_client, place_order
):
    order = place_order(customer)
    payment_id = pay(customer_client, order, "card", card_token=card_token(customer_client)).json()[
        "id"
    ]
    page = staff_browser.get(f"/admin/payments/payment/{payment_id}/change/").content.decode()
    assert "accredited" in page and "Requisição ao provedor" in page  # the log, inline
    assert staff_browser.get("/admin/payments/payment/add/").status_code == 403
    order_page = staff_browser.get(f"/admin/orders/order/{order.pk}/change/").content.decode()
    assert f"/admin/payments/payment/{payment_id}/change/" in order_page  # the order's payments

    staff_browser.post(
        "/admin/payments/payment/",
        {"action": "refund", "_selected_action": [payment_id]},
    )
    assert Payment.objects.get(pk=payment_id).status == "refunded"
    assert Order.objects.get(pk=order.pk).status == "refunded"


def test_seed_demo_leaves_a_paid_order_and_one_awaiting_pix():
    call_command("seed_demo")
    call_command("seed_demo")
    joao = User.objects.get(email="joao@shop.localhost")
    orders = list(joao.orders.order_by("pk"))
    assert [o.status for o in orders] == ["paid", "pending_payment"]
    assert [(p.method, p.status) for p in Payment.objects.order_by("pk")] == [
        ("card", "approved"),
        ("pix", "pending"),
    ]
    assert Payment.objects.get(method="pix").pix_copy_paste.startswith("000201")
