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


def test_staff_move_orders_along_with_admin_actions_through_the_service(staff_browser):
    from catalog.models import Product
    from orders.models import Order
    from orders.services import order_transition

    product = ProductFactory(stock=4)
    orders = []
    for _ in range(2):
        customer = UserFactory()
        cart_item_add(cart=customer.cart, product_id=product.pk, quantity=1)
        orders.append(cart_purchase(cart=customer.cart).order)
    paid, unpaid = orders
    order_transition(order=paid, to=Order.Status.PAID)

    def act(action, *selected):
        return staff_browser.post(
            "/admin/orders/order/",
            {"action": action, "_selected_action": [o.pk for o in selected]},
            follow=True,
        ).content.decode()

    page = act("mark_preparing", paid, unpaid)
    assert "1 order(s) now preparing" in page
    assert f"#{unpaid.pk}" in page  # refused: still awaiting payment
    act("cancel", unpaid)
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert (statuses[paid.pk], statuses[unpaid.pk]) == ("preparing", "cancelled")
    assert Product.objects.get(pk=product.pk).stock == 3  # the cancelled unit came back
    assert paid.events.last().by is not None  # the staff member is on the timeline
