import pytest
from django.core.management import call_command

from catalog.models import Category, Product
from catalog.tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/catalog/product/"
# The product form's event inline, left empty.
NO_EVENT = {"event-TOTAL_FORMS": "0", "event-INITIAL_FORMS": "0"}


def test_changelist_shows_and_filters_products(staff_browser, settings):
    settings.LOW_STOCK_THRESHOLD = 5
    ProductFactory(name="Plenty", stock=50)
    ProductFactory(name="Scarce", stock=2)
    ProductFactory(name="Gone", stock=0)
    page = staff_browser.get(CHANGELIST).content.decode()
    assert all(name in page for name in ("Plenty", "Scarce", "Gone"))
    low = staff_browser.get(CHANGELIST, {"stock_level": "low"}).content.decode()
    assert "Scarce" in low and "Plenty" not in low and "Gone" not in low
    out = staff_browser.get(CHANGELIST, {"stock_level": "out"}).content.decode()
    assert "Gone" in out and "Scarce" not in out


def test_changelist_searches_by_name_and_sku(staff_browser):
    ProductFactory(name="Kindle", sku="KND-1")
    ProductFactory(name="Echo", sku="ECH-1")
    by_sku = staff_browser.get(CHANGELIST, {"q": "knd"}).content.decode()
    assert "Kindle" in by_sku and "Echo" not in by_sku


def test_inline_edit_of_price_and_stock(staff_browser):
    product = ProductFactory(stock=10)
    page = staff_browser.get(CHANGELIST).content.decode()
    assert 'name="initial-form-0-stock" value="10"' in page  # what the editor saw is posted back
    Product.objects.filter(pk=product.pk).update(stock=8)  # two sold after the page was rendered
    response = staff_browser.post(
        CHANGELIST,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(product.pk),
            "form-0-price": "55.50",
            "form-0-stock": "20",
            "initial-form-0-stock": "10",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    product.refresh_from_db()
    assert (str(product.price), product.stock) == ("55.50", 18)


def test_archive_and_reactivate_actions(staff_browser):
    products = ProductFactory.create_batch(2)
    ids = [str(p.pk) for p in products]
    staff_browser.post(CHANGELIST, {"action": "archive", "_selected_action": ids})
    assert not Product.objects.filter(is_active=True).exists()
    staff_browser.post(CHANGELIST, {"action": "reactivate", "_selected_action": ids})
    assert Product.objects.filter(is_active=True).count() == 2


def test_add_form_creates_a_product_and_change_form_shows_read_only_timestamps(staff_browser):
    category = CategoryFactory()
    response = staff_browser.post(
        "/admin/catalog/product/add/",
        {
            "name": "Echo Dot",
            "slug": "echo-dot",
            "sku": "ECHO-5",
            "category": category.pk,
            "description": "",
            "price": "399.00",
            "stock": "12",
            "is_active": "on",
            **NO_EVENT,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    product = Product.objects.get(sku="ECHO-5")
    change = staff_browser.get(f"/admin/catalog/product/{product.pk}/change/").content.decode()
    assert 'name="created_at"' not in change and "Created at" in change


def test_add_form_rejects_a_negative_price(staff_browser):
    category = CategoryFactory()
    response = staff_browser.post(
        "/admin/catalog/product/add/",
        {
            "name": "Bad",
            "slug": "bad",
            "sku": "BAD",
            "category": category.pk,
            "price": "-1",
            "stock": "1",
            **NO_EVENT,
        },
    )
    assert response.status_code == 200
    assert not Product.objects.exists()


def test_categories_show_their_product_counts(staff_browser):
    category = CategoryFactory(name="Audio")
    ProductFactory.create_batch(3, category=category)
    page = staff_browser.get("/admin/catalog/category/").content.decode()
    assert 'class="field-product_count">3<' in page


def test_seed_demo_adds_the_catalog_and_a_cart_ready_to_purchase():
    call_command("seed_demo")
    call_command("seed_demo")
    assert Product.objects.filter(name="iPhone 15 128 GB").count() == 1
    assert Product.objects.count() >= 30
    assert Category.objects.count() >= 5
    from carts.models import CartItem

    ready = CartItem.objects.filter(cart__customer__email="maria@shop.localhost")
    assert ready.count() == 2  # a cart ready to purchase, not doubled by the second run
    from catalog.models import Event

    events = Event.objects.select_related("product")
    assert events.count() == 2 and all(e.starts_at > e.product.created_at for e in events)
    assert sorted(e.product.stock for e in events) == [3, 400]  # one nearly sold out


def test_an_event_is_added_changed_and_removed_with_its_product(staff_browser):
    from catalog.models import Event

    category = CategoryFactory()
    event = {
        "event-TOTAL_FORMS": "1",
        "event-INITIAL_FORMS": "0",
        "event-0-starts_at_0": "2026-12-31",
        "event-0-starts_at_1": "22:00:00",
        "event-0-venue": "Casino Hall",
    }
    response = staff_browser.post(
        "/admin/catalog/product/add/",
        {
            "name": "New Year show",
            "slug": "new-year-show",
            "sku": "NY-26",
            "category": category.pk,
            "description": "",
            "price": "250.00",
            "stock": "400",
            "is_active": "on",
            **event,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    product = Product.objects.get(sku="NY-26")
    assert Event.objects.get(product=product).venue == "Casino Hall"

    change = f"/admin/catalog/product/{product.pk}/change/"
    base = {
        "name": product.name,
        "slug": product.slug,
        "sku": product.sku,
        "category": category.pk,
        "description": "",
        "price": "250.00",
        "stock": "400",
        "initial-stock": "400",
        "is_active": "on",
        "event-TOTAL_FORMS": "1",
        "event-INITIAL_FORMS": "1",
        "event-0-product": product.pk,
        "event-0-starts_at_0": "2026-12-31",
        "event-0-starts_at_1": "22:00:00",
    }
    backwards = staff_browser.post(
        change,
        {
            **base,
            "event-0-venue": "Hall",
            "event-0-ends_at_0": "2026-12-31",
            "event-0-ends_at_1": "21:00:00",
        },
    )
    assert backwards.status_code == 200  # ends before it starts: the form says so
    assert Event.objects.get(product=product).venue == "Casino Hall"
    moved = staff_browser.post(change, {**base, "event-0-venue": "Main Stage"})
    assert moved.status_code == 302 and Event.objects.get(product=product).venue == "Main Stage"
    removed = staff_browser.post(
        change, {**base, "event-0-venue": "Main Stage", "event-0-DELETE": "on"}
    )
    assert removed.status_code == 302 and not Event.objects.filter(product=product).exists()
