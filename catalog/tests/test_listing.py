from decimal import Decimal

import pytest

from catalog.tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf():
    phones = CategoryFactory(name="Phones", slug="phones")
    books = CategoryFactory(name="Books", slug="books")
    return {
        "phones": phones,
        "books": books,
        "iphone": ProductFactory(
            name="iPhone",
            sku="IP-1",
            category=phones,
            price=Decimal("7000.00"),
            stock=5,
            description="Apple phone",
        ),
        "moto": ProductFactory(
            name="Moto",
            sku="MO-1",
            category=phones,
            price=Decimal("1500.00"),
            stock=0,
            description="Android",
        ),
        "pixel": ProductFactory(
            name="Pixel",
            sku="PX-1",
            category=phones,
            price=Decimal("3000.00"),
            stock=2,
            description="Google",
        ),
        "novel": ProductFactory(
            name="Novel",
            sku="BK-1",
            category=books,
            price=Decimal("40.00"),
            stock=9,
            description="A phone-free story",
        ),
        "archived": ProductFactory(
            name="Old phone",
            sku="OLD-1",
            category=phones,
            price=Decimal("100.00"),
            stock=3,
            is_active=False,
        ),
    }


def listed(client, **params):
    response = client.get("/api/products", params)
    assert response.status_code == 200, response.content
    return [p["name"] for p in response.json()["results"]]


def test_filter_by_category_id_or_slug_includes_out_of_stock_and_skips_archived(anon_client, shelf):
    assert listed(anon_client, category=shelf["phones"].pk) == ["iPhone", "Moto", "Pixel"]
    assert listed(anon_client, category="phones") == ["iPhone", "Moto", "Pixel"]
    assert listed(anon_client, category="nope") == []
    assert (
        listed(anon_client, category="999999999999999999999") == []
    )  # beyond any id: empty, not 500


def test_filter_by_price_range_is_inclusive(anon_client, shelf):
    assert listed(anon_client, min_price="1500", max_price="3000.00") == ["Moto", "Pixel"]
    assert listed(anon_client, min_price="7000.01") == []


def test_in_stock_filter(anon_client, shelf):
    assert listed(anon_client, category="phones", in_stock="true") == ["iPhone", "Pixel"]
    assert listed(anon_client, in_stock="false") == ["Moto"]


def test_search_over_name_sku_and_description(anon_client, shelf):
    assert listed(anon_client, search="phone") == ["iPhone", "Novel"]
    assert listed(anon_client, search="px-1") == ["Pixel"]
    assert listed(anon_client, search="android") == ["Moto"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("price", ["Novel", "Moto", "Pixel", "iPhone"]),
        ("-price", ["iPhone", "Pixel", "Moto", "Novel"]),
        ("name", ["iPhone", "Moto", "Novel", "Pixel"]),
        ("-created", ["Novel", "Pixel", "Moto", "iPhone"]),
    ],
)
def test_ordering(anon_client, shelf, ordering, expected):
    assert listed(anon_client, ordering=ordering) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"min_price": "cheap"},
        {"max_price": "1e"},
        {"in_stock": "maybe"},
        {"ordering": "stock"},
        {"min_price": "-1"},
        {"max_price": "1e11"},
    ],
)
def test_invalid_filters_are_400(anon_client, shelf, params):
    response = anon_client.get("/api/products", params)
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "code", "errors"}


def test_pagination(anon_client, db):
    ProductFactory.create_batch(25)
    first = anon_client.get("/api/products").json()
    assert (first["count"], len(first["results"]), first["previous"]) == (25, 20, None)
    assert first["next"].endswith("/api/products?page=2")
    second = anon_client.get("/api/products", {"page": 2}).json()
    assert len(second["results"]) == 5
    small = anon_client.get("/api/products", {"page_size": 10, "page": 3}).json()
    assert (small["count"], len(small["results"]), small["next"]) == (25, 5, None)
    assert anon_client.get("/api/products", {"page": 9}).status_code == 404
    empty = anon_client.get("/api/products", {"search": "nothing like it"}).json()
    assert (empty["count"], empty["results"]) == (0, [])


@pytest.mark.parametrize("size", [5, 50])
def test_list_uses_a_constant_number_of_queries(
    anon_client, admin_client, django_assert_max_num_queries, size
):
    ProductFactory.create_batch(size, category=CategoryFactory())
    for client in (anon_client, admin_client):
        # The page carries its count (+ the admin's user lookup).
        with django_assert_max_num_queries(2 if client is admin_client else 1):
            body = client.get("/api/products", {"page_size": 100}).json()
        assert body["count"] == len(body["results"]) == size
