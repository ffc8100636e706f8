"""Visitors' catalog reads come from the shared cache; administrators' changes show at once."""

import pytest

from catalog.models import Product
from catalog.tests.factories import CategoryFactory, ProductFactory

# A test that races threads or needs a real commit (work after it, another connection)
# marks itself transaction=True.
pytestmark = pytest.mark.django_db


def names(response):
    return [p["name"] for p in response.json()["results"]]


def test_a_second_read_comes_from_the_cache_with_the_same_bytes_and_an_etag(
    anon_client, django_assert_num_queries
):
    ProductFactory.create_batch(3)
    first = anon_client.get("/api/products?ordering=name&page=1")
    with django_assert_num_queries(0):
        again = anon_client.get("/api/products?page=1&ordering=name")  # same query, reordered
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"] and again["ETag"].startswith('"')
    assert again["Cache-Control"] == "public, max-age=2"
    assert "Authorization" in again["Vary"] and "Cookie" in again["Vary"]
    not_modified = anon_client.get(
        "/api/products?ordering=name&page=1", HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert not_modified.status_code == 304 and not_modified.content == b""


def test_a_cached_answer_keeps_every_header_the_middleware_stack_gave_it(anon_client):
    """A hit is answered before the other middleware runs: it replays their headers."""
    ProductFactory()
    first = anon_client.get("/api/products")
    again = anon_client.get("/api/products")
    for header in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Referrer-Policy",
        "Content-Type",
        "Vary",
    ):
        assert again[header] == first[header], header
    assert not again.cookies


def test_another_host_is_refused_and_never_served_from_the_cache(anon_client):
    ProductFactory()
    assert anon_client.get("/api/products").status_code == 200
    foreign = anon_client.get("/api/products", HTTP_HOST="evil.example")
    assert foreign.status_code == 400
    assert anon_client.get("/api/products", HTTP_HOST="evil.example").status_code == 400


@pytest.mark.django_db(transaction=True)
def test_an_archived_or_deleted_product_is_gone_at_once(anon_client, admin_client):
    kept, archived, deleted = ProductFactory.create_batch(3)
    detail = f"/api/products/{archived.pk}"
    assert anon_client.get(detail).status_code == 200
    assert len(names(anon_client.get("/api/products"))) == 3
    assert admin_client.patch(detail, {"is_active": False}).status_code == 200
    assert admin_client.delete(f"/api/products/{deleted.pk}").status_code == 204
    assert anon_client.get(detail).status_code == 404
    assert names(anon_client.get("/api/products")) == [kept.name]


@pytest.mark.django_db(transaction=True)
def test_a_price_change_is_visible_at_once(anon_client, admin_client):
    product = ProductFactory(price="100.00")
    assert anon_client.get(f"/api/products/{product.pk}").json()["price"] == "100.00"
    admin_client.patch(f"/api/products/{product.pk}", {"price": "79.90"})
    assert anon_client.get(f"/api/products/{product.pk}").json()["price"] == "79.90"
    assert anon_client.get("/api/products").json()["results"][0]["price"] == "79.90"
    category = CategoryFactory(name="Before")
    assert "Before" in anon_client.get("/api/categories").content.decode()
    admin_client.patch(f"/api/categories/{category.pk}", {"name": "After"})
    assert "After" in anon_client.get("/api/categories").content.decode()


def test_signed_in_callers_and_the_browsable_api_are_never_cached(
    customer_client, admin_client, anon_client
):
    product = ProductFactory()
    assert "ETag" not in customer_client.get("/api/products")
    Product.objects.filter(pk=product.pk).update(is_active=False)  # behind the cache's back
    assert admin_client.get(f"/api/products/{product.pk}").status_code == 200  # admins see it
    html = anon_client.get("/api/products", HTTP_ACCEPT="text/html")
    assert html["Content-Type"].startswith("text/html") and "ETag" not in html


def test_stock_figures_are_at_most_the_cache_time_old(anon_client, settings):
    product = ProductFactory(stock=10)
    assert anon_client.get(f"/api/products/{product.pk}").json()["stock"] == 10
    Product.objects.filter(pk=product.pk).update(stock=9)  # a purchase: no invalidation
    assert anon_client.get(f"/api/products/{product.pk}").json()["stock"] == 10
    settings.CATALOG_CACHE_SECONDS = 0
    assert anon_client.get(f"/api/products/{product.pk}").json()["stock"] == 9
