import json
import urllib.request

import pytest

from catalog.tests.factories import CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_creates_a_product_in_the_back_office_and_the_api_lists_it(
    live_server, admin_page, tmp_path
):
    page = admin_page
    category = CategoryFactory(name="Leitura")

    page.goto(f"{live_server.url}/admin/catalog/product/add/")
    page.locator("#id_name").press_sequentially("Kindle Paperwhite")  # keyup drives the slug
    assert page.input_value("#id_slug") == "kindle-paperwhite"  # filled in by the admin's JS
    page.fill("#id_sku", "KPW-12")
    page.select_option("#id_category", str(category.pk))
    page.fill("#id_price", "899.00")
    page.fill("#id_stock", "15")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert "was added successfully" in page.inner_text(".messagelist")
    page.screenshot(path=str(tmp_path / "admin-product-added.png"))

    with urllib.request.urlopen(f"{live_server.url}/api/products?search=KPW-12") as response:
        listed = json.load(response)
    assert listed["count"] == 1
    product = listed["results"][0]
    assert (product["name"], product["price"], product["stock"]) == (
        "Kindle Paperwhite",
        "899.00",
        15,
    )
    assert product["category"]["name"] == "Leitura"
