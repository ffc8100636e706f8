"""The flash-sale page in a real browser (Playwright + Debian's Chromium) against uvicorn in
the embedded mode: the remaining count drops live when another customer claims."""

import json

import pytest

from accounts.tests.factories import PASSWORD

SETUP = f"""
import json
from datetime import timedelta
from django.utils import timezone
from accounts.services import user_create
from catalog.models import Category, Product
from flashsales.services import flash_sale_create
category = Category.objects.create(name="Phones", slug="phones")
product = Product.objects.create(name="iPhone 15", slug="iphone-15", sku="IP15",
                                 price="7299.00", stock=20, category=category)
sale = flash_sale_create(product=product, units_per_drop=10, drops=2,
                         first_drop_at=timezone.now() - timedelta(minutes=1))
for email in ("ana@example.com", "bia@example.com"):
    user_create(email=email, password="{PASSWORD}")
print(json.dumps({{"sale": sale.pk}}))
"""


@pytest.fixture
def shop(tmp_path):
    from testing.shop import manage, serve

    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'page.sqlite3'}",
    }
    manage("migrate", "--noinput", env=env)
    sale = json.loads(manage("shell", "-c", SETUP, env=env).strip().splitlines()[-1])["sale"]
    with serve("uvicorn", env, workers=1) as port:
        yield f"http://127.0.0.1:{port}", sale


def signed_in(browser, base, email):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/api-auth/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/api/sessions/current")
    return page


@pytest.mark.browser
def test_the_remaining_count_drops_live_when_another_customer_claims(browser, shop):
    base, sale = shop
    anonymous = browser.new_context().new_page()
    anonymous.goto(f"{base}/flash-sales/{sale}")
    assert anonymous.inner_text("#remaining") == "10"
    assert anonymous.locator("#login").is_visible()

    watcher = signed_in(browser, base, "ana@example.com")
    buyer = signed_in(browser, base, "bia@example.com")
    violations = []
    for page in (watcher, buyer):
        page.on(
            "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
        )
        page.goto(f"{base}/flash-sales/{sale}")
    watcher.wait_for_timeout(500)  # its socket is open
    assert watcher.inner_text("#remaining") == "10"

    buyer.click("#claim")
    buyer.wait_for_selector("text=You hold one unit")
    watcher.wait_for_function(
        "document.getElementById('remaining').textContent === '9'", timeout=3000
    )
    assert watcher.inner_text("#status") == "open"
    assert watcher.inner_text("#countdown") != "-"

    buyer.click("#claim")
    buyer.wait_for_selector("text=You already hold your unit for this drop.")
    buyer.click("#pay")
    buyer.wait_for_selector("#pix:not([hidden])")
    assert buyer.input_value("#copy-paste").startswith("000201")
    # The QR code is an <img> of the SVG: drawn only if the SVG carries its namespace.
    buyer.wait_for_function("document.getElementById('qr').complete")
    assert buyer.evaluate("document.getElementById('qr').naturalWidth") > 0
    assert violations == []
