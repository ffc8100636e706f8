import re
import shlex
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory
from flashsales.models import FlashSale
from flashsales.services import claim_create

pytestmark = pytest.mark.django_db


def test_seed_demo_opens_the_iphone_campaign_now():
    call_command("seed_demo")
    call_command("seed_demo")
    sale = FlashSale.objects.get()
    now = timezone.now()
    assert (sale.drops, sale.units_per_drop, str(sale.price)) == (24, 100, "1.00")
    assert sale.status(now) == "open" and sale.remaining(now) == 100
    assert sale.product.stock == 100


def test_the_readmes_campaign_command_works_on_the_demo_data():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    command = re.search(r"`manage\.py (create_flash_sale [^`]+)`", readme).group(1)
    call_command("seed_demo")
    call_command(*shlex.split(command), stdout=StringIO())
    assert FlashSale.objects.count() == 2


def plan(product, first_drop_at=None, **fields):
    first = timezone.localtime(first_drop_at or timezone.now() + timedelta(days=1))
    return {
        "product": product.pk,
        "price": "1.00",
        "units_per_drop": 10,
        "drops": 2,
        "first_drop_at_0": f"{first:%Y-%m-%d}",
        "first_drop_at_1": f"{first:%H:%M:%S}",
        "drop_interval_minutes": 60,
        "per_customer_limit": 1,
        "hold_minutes": 10,
        **fields,
    }


def test_staff_create_a_sale_in_the_admin_through_the_service_and_see_its_counters(
    staff_browser, make_sale
):
    product = ProductFactory(stock=30)
    response = staff_browser.post("/admin/flashsales/flashsale/add/", plan(product))
    assert response.status_code == 302, response.content.decode()[:2000]
    product.refresh_from_db()
    assert product.stock == 10  # taken by flash_sale_create, not by a bare save
    sale = make_sale()
    claim_create(sale_id=sale.pk, customer=UserFactory())
    listing = staff_browser.get("/admin/flashsales/flashsale/").content.decode()
    assert 'class="field-held">1<' in listing
    page = staff_browser.get(f"/admin/flashsales/flashsale/{sale.pk}/change/").content.decode()
    assert "drop 0: 1 / 0 / 0 / 0" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"units_per_drop": 20}, "A oferta precisa de 40 unidades; o produto tem 30."),
        ({"first_drop_at": timezone.now() - timedelta(hours=3)}, "a oferta nunca começaria"),
    ],
)
def test_the_admin_shows_a_refused_plan_as_the_forms_error_and_saves_nothing(
    staff_browser, fields, message
):
    product = ProductFactory(stock=30)
    response = staff_browser.post("/admin/flashsales/flashsale/add/", plan(product, **fields))
    assert response.status_code == 200  # the form again, not a redirect to "added"
    assert message in response.content.decode()
    assert "was added successfully" not in response.content.decode()
    product.refresh_from_db()
    assert product.stock == 30 and not FlashSale.objects.exists()


def test_the_admin_deletes_a_sale_through_the_service_and_never_one_with_claims(
    staff_browser, make_sale
):
    untouched, claimed = make_sale(), make_sale()
    claim_create(sale_id=claimed.pk, customer=UserFactory())
    url = "/admin/flashsales/flashsale/{}/delete/"
    assert staff_browser.get(url.format(claimed.pk)).status_code == 403
    assert staff_browser.post(url.format(claimed.pk), {"post": "yes"}).status_code == 403
    listing = staff_browser.get("/admin/flashsales/flashsale/").content.decode()
    assert "delete_selected" not in listing  # a bulk delete would keep the units from stock
    assert staff_browser.post(url.format(untouched.pk), {"post": "yes"}).status_code == 302
    untouched.product.refresh_from_db()
    assert untouched.product.stock == 15  # its units went back
    assert list(FlashSale.objects.values_list("pk", flat=True)) == [claimed.pk]


def test_the_sale_page_offers_the_claim_to_the_same_people_as_the_api(client, make_sale):
    from accounts.services import guest_create
    from accounts.tests.factories import AdminFactory

    sale = make_sale()
    page = f"/flash-sales/{sale.pk}"
    for user, may_claim in [
        (UserFactory(), True),
        (guest_create(email="g@example.com"), False),
        (AdminFactory(), False),
    ]:
        client.force_login(user)
        html = client.get(page).content.decode()
        assert ('id="claim"' in html) is may_claim, user
        assert (client.post(f"/api/flash-sales/{sale.pk}/claims").status_code == 201) is may_claim
