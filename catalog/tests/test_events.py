"""Products that are events: written with the product, listed by date, not sold once started."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carts.services import cart_item_add
from catalog.models import Event
from catalog.services import product_create, product_update
from catalog.tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def show(days: float, **overrides):
    """An event product `days` from now (negative: already started)."""
    product = ProductFactory(stock=overrides.pop("stock", 50))
    starts = timezone.now() + timedelta(days=days)
    return product_update(
        product=product, event={"starts_at": starts, "venue": "Casino Hall", **overrides}
    )


def test_an_admin_writes_the_event_with_the_product(admin_client):
    category = CategoryFactory()
    starts = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    body = {
        "name": "Jazz night",
        "sku": "JAZZ-1",
        "price": "120.00",
        "stock": 300,
        "category": category.pk,
        "event": {"starts_at": starts.isoformat(), "venue": "Casino Hall"},
    }
    created = admin_client.post("/api/products", body, format="json")
    assert created.status_code == 201, created.content
    event = created.json()["event"]
    assert (event["venue"], event["ends_at"]) == ("Casino Hall", None)
    product_id = created.json()["id"]

    ends = (starts + timedelta(hours=3)).isoformat()
    moved = admin_client.patch(
        f"/api/products/{product_id}",
        {"event": {"starts_at": starts.isoformat(), "ends_at": ends, "venue": "Main Stage"}},
        format="json",
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["event"]["venue"] == "Main Stage" and moved.json()["event"]["ends_at"]
    plain = admin_client.patch(f"/api/products/{product_id}", {"event": None}, format="json")
    assert plain.json()["event"] is None and not Event.objects.exists()


def test_an_event_that_ends_before_it_starts_is_400_and_changes_nothing(admin_client):
    product = ProductFactory()
    starts = timezone.now() + timedelta(days=2)
    response = admin_client.patch(
        f"/api/products/{product.pk}",
        {
            "event": {
                "starts_at": starts.isoformat(),
                "ends_at": (starts - timedelta(hours=1)).isoformat(),
                "venue": "Hall",
            }
        },
        format="json",
    )
    assert response.status_code == 400 and "ends_at" in response.json()["errors"]["event"]
    assert not Event.objects.exists()


def test_an_event_in_a_year_no_one_sells_for_is_400(admin_client):
    product = ProductFactory()
    response = admin_client.patch(
        f"/api/products/{product.pk}",
        {"event": {"starts_at": "0151-04-16T18:43:46Z", "venue": "Hall"}},
        format="json",
    )
    assert response.status_code == 400 and "starts_at" in response.json()["errors"]["event"]
    assert not Event.objects.exists()


def test_upcoming_events_are_listed_by_date(anon_client):
    soon, later, ordinary = show(3), show(40), ProductFactory()
    show(-1)  # already started: still listed (its page says so); filters pick by date

    def listed(**params):
        body = anon_client.get("/api/products", params).json()
        return {p["id"] for p in body["results"]}

    now = timezone.now()
    assert ordinary.pk not in listed(is_event="true")
    assert ordinary.pk in listed(is_event="false") and soon.pk not in listed(is_event="false")
    assert listed(is_event="true", starts_after=now.isoformat()) == {soon.pk, later.pk}
    assert listed(
        starts_after=now.isoformat(), starts_before=(now + timedelta(days=10)).isoformat()
    ) == {soon.pk}
    assert anon_client.get("/api/products", {"starts_after": "soon"}).status_code == 400
    # An offset PostgreSQL cannot store is read as the same instant in UTC (found by the
    # contract test as a 500).
    far = anon_client.get("/api/products", {"starts_after": "3826-12-07T01:23:32-20:46"})
    assert far.status_code == 200 and far.json()["count"] == 0


def test_an_event_that_started_stays_in_the_cart_unprocessed(customer, customer_client):
    started, upcoming = show(-0.01), show(5)
    for product in (started, upcoming):
        cart_item_add(cart=customer.cart, product_id=product.pk, quantity=1)
    # The cart says beforehand what the purchase does: the same rule (Product.sells).
    lines = customer_client.get(f"/api/carts/{customer.cart.pk}").json()["items"]
    assert {line["product_id"]: line["available"] for line in lines} == {
        started.pk: False,
        upcoming.pk: True,
    }
    response = customer_client.post(f"/api/carts/{customer.cart.pk}/purchase")
    assert response.status_code == 201, response.content
    assert response.json()["unprocessed_product_ids"] == [started.pk]
    assert [line["product_id"] for line in response.json()["order"]["lines"]] == [upcoming.pk]
    assert list(customer.cart.items.values_list("product_id", flat=True)) == [started.pk]
    started.refresh_from_db()
    assert started.stock == 50  # nothing taken


def test_a_product_created_as_an_event_in_one_call():
    product = product_create(
        name="Show",
        sku="SHOW-1",
        price="10.00",
        category=CategoryFactory(),
        stock=10,
        event={"starts_at": timezone.now() + timedelta(days=1), "venue": "Arena"},
    )
    assert Event.objects.get(product=product).venue == "Arena"
