"""The door's check-in page in a real browser (Playwright + Debian's Chromium)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from carts.services import cart_item_add, cart_purchase
from catalog.services import product_update
from catalog.tests.factories import ProductFactory
from orders.services import order_pay
from tickets.models import Admission, CheckInAttempt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_valid_code_is_admitted_then_the_same_code_is_already_checked_in(live_server, admin_page):
    concert = product_update(
        product=ProductFactory(name="Samba night", stock=10),
        event={"starts_at": timezone.now() + timedelta(days=1), "venue": "Casino Hall"},
    )
    customer = UserFactory()
    cart_item_add(cart=customer.cart, product_id=concert.pk, quantity=1)
    order_pay(order=cart_purchase(cart=customer.cart).order)
    code = Admission.objects.get().code
    page = admin_page
    door = f"{live_server.url}/admin/tickets/admission/door/"

    page.goto(door)
    page.fill("#code", code.lower())  # as a phone keyboard may type it
    page.click("button[type=submit]")
    assert page.inner_text("#answer .big") == "Admitted"
    assert "admitted" in page.get_attribute("#answer", "class")
    assert "Samba night" in page.inner_text("#answer")

    page.goto(door)
    page.fill("#code", code)
    page.click("button[type=submit]")
    assert page.inner_text("#answer .big") == "Already checked in"
    assert "refused" in page.get_attribute("#answer", "class")
    checked_in_at = Admission.objects.get().checked_in_at
    shown = timezone.localtime(checked_in_at)
    assert page.inner_text("#answer time") == shown.strftime("%H:%M:%S, %d/%m/%Y")
    assert page.get_attribute("#answer time", "datetime") == shown.isoformat()
    assert CheckInAttempt.objects.count() == 2
