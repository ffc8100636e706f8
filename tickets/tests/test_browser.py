"""An admission's QR code renders in a real browser (Playwright + Debian's Chromium)."""

import pytest

from accounts.tests.factories import PASSWORD, UserFactory
from orders.services import order_pay
from tickets.tests.test_admissions import ordered, show

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMAGE_WIDTH = """async (src) => {
    const image = new Image();
    const done = new Promise((resolve) => { image.onload = image.onerror = resolve; });
    image.src = src;
    await done;
    return image.naturalWidth;
}"""


def test_an_admissions_qr_code_is_an_image_a_browser_draws(live_server, page):
    customer = UserFactory()
    order = ordered(customer, (show(), 1))
    order_pay(order=order)
    code = order.admissions.get().code
    page.goto(f"{live_server.url}/api-auth/login/")
    page.fill("#id_username", customer.email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/api/sessions/current")
    # An <img> draws an SVG only when it carries the SVG namespace; without it, width 0.
    assert page.evaluate(IMAGE_WIDTH, f"/api/admissions/{code}/qr.svg") > 0
