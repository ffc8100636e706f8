import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory
from flashsales.models import FlashSale
from flashsales.services import claim_create

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_demo_opens_the_iphone_campaign_now():
    call_command("seed_demo")
    call_command("seed_demo")
    sale = FlashSale.objects.get()
    now = timezone.now()
    assert (sale.drops, sale.units_per_drop, str(sale.price)) == (24, 100, "1.00")
    assert sale.status(now) == "open" and sale.remaining(now) == 100
    assert sale.product.stock == 100


def test_staff_create_a_sale_in_the_admin_through_the_service_and_see_its_counters(
    staff_browser, make_sale
):
    product = ProductFactory(stock=30)
    response = staff_browser.post("/admin/flashsales/flashsale/add/", {
        "product": product.pk, "price": "1.00", "units_per_drop": 10, "drops": 2,
        "first_drop_at_0": "2026-11-27", "first_drop_at_1": "00:00:00",
        "drop_interval_minutes": 60, "per_customer_limit": 1, "hold_minutes": 10,
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    product.refresh_from_db()
    assert product.stock == 10  # taken by flash_sale_create, not by a bare save
    sale = make_sale()
    claim_create(sale_id=sale.pk, customer=UserFactory())
    listing = staff_browser.get("/admin/flashsales/flashsale/").content.decode()
    assert 'class="field-held">1<' in listing
    page = staff_browser.get(f"/admin/flashsales/flashsale/{sale.pk}/change/").content.decode()
    assert "drop 0: 1 / 0 / 0 / 0" in page
