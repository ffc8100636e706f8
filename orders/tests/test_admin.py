import pytest

from accounts.tests.factories import UserFactory
from carts.services import cart_item_add, cart_purchase
from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_orders_are_searchable_by_ticket_code_and_email_and_show_their_lines(staff_browser):
    customer = UserFactory(email="buyer@example.com")
    cart_item_add(cart=customer.cart, product_id=ProductFactory(name="Chromecast").pk, quantity=1)
    purchase = cart_purchase(cart=customer.cart)
    UserFactory(email="nobody@example.com")
    by_code = staff_browser.get(
        "/admin/orders/order/", {"q": purchase.ticket.code}
    ).content.decode()
    assert "buyer@example.com" in by_code
    by_email = staff_browser.get("/admin/orders/order/", {"q": "buyer@"}).content.decode()
    assert purchase.ticket.code in by_email
    assert (
        "buyer@example.com"
        not in staff_browser.get("/admin/orders/order/", {"status__exact": "paid"}).content.decode()
    )
    detail = staff_browser.get(f"/admin/orders/order/{purchase.order.pk}/change/").content.decode()
    assert "Chromecast" in detail and "pending_payment" in detail.replace(
        "Pending payment", "pending_payment"
    )


def test_tickets_and_carts_are_read_only_in_the_admin(staff_browser):
    customer = UserFactory()
    assert staff_browser.get("/admin/tickets/ticket/add/").status_code == 403
    assert staff_browser.get("/admin/carts/cart/add/").status_code == 403
    page = staff_browser.get(f"/admin/carts/cart/{customer.cart.pk}/change/")
    assert page.status_code == 200
    assert b'type="submit" value="Save"' not in page.content
