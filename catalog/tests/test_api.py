from decimal import Decimal

import pytest

from catalog.models import Category, Product
from catalog.tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

ROLES = ["anon", "customer", "admin"]


@pytest.fixture
def clients(anon_client, customer_client, admin_client):
    return {"anon": anon_client, "customer": customer_client, "admin": admin_client}


def names(response):
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["results"]]


def product_body(in_category, **overrides):
    body = {
        "name": "Kindle 11",
        "sku": "KINDLE-11",
        "price": "499.00",
        "stock": 7,
        "category": in_category.pk,
        "description": "E-reader",
    }
    body.update(overrides)
    return body


# Permission matrix: every endpoint x every role.

WRITE_EXPECTED = {"anon": 401, "customer": 403}


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_categories_and_products(clients, role):
    product = ProductFactory()
    client = clients[role]
    assert client.get("/api/categories").status_code == 200
    assert client.get(f"/api/categories/{product.category_id}").status_code == 200
    assert client.get("/api/products").status_code == 200
    assert client.get(f"/api/products/{product.pk}").status_code == 200


@pytest.mark.parametrize("role", ["anon", "customer"])
def test_only_admins_write_categories(clients, role):
    category = CategoryFactory(name="Original")
    client = clients[role]
    expected = WRITE_EXPECTED[role]
    assert client.post("/api/categories", {"name": "New"}, format="json").status_code == expected
    assert (
        client.put(f"/api/categories/{category.pk}", {"name": "X"}, format="json").status_code
        == expected
    )
    assert (
        client.patch(f"/api/categories/{category.pk}", {"name": "X"}, format="json").status_code
        == expected
    )
    assert client.delete(f"/api/categories/{category.pk}").status_code == expected
    assert list(Category.objects.values_list("name", flat=True)) == ["Original"]


@pytest.mark.parametrize("role", ["anon", "customer"])
def test_only_admins_write_products(clients, role):
    product = ProductFactory(price=Decimal("10.00"))
    client = clients[role]
    expected = WRITE_EXPECTED[role]
    body = product_body(product.category)
    assert client.post("/api/products", body, format="json").status_code == expected
    assert client.put(f"/api/products/{product.pk}", body, format="json").status_code == expected
    assert (
        client.patch(f"/api/products/{product.pk}", {"price": "1.00"}, format="json").status_code
        == expected
    )
    assert client.delete(f"/api/products/{product.pk}").status_code == expected
    product.refresh_from_db()
    assert (Product.objects.count(), product.price) == (1, Decimal("10.00"))


def test_admin_creates_updates_and_deletes_a_category(admin_client):
    created = admin_client.post("/api/categories", {"name": "Eletrônicos"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["slug"] == "eletronicos"
    cid = created.json()["id"]
    renamed = admin_client.patch(f"/api/categories/{cid}", {"name": "Eletro"}, format="json")
    assert renamed.json()["name"] == "Eletro"
    assert admin_client.delete(f"/api/categories/{cid}").status_code == 204
    assert not Category.objects.exists()


def test_deleting_a_category_with_products_is_409(admin_client):
    product = ProductFactory()
    response = admin_client.delete(f"/api/categories/{product.category_id}")
    assert response.status_code == 409
    assert response.json()["code"] == "category_in_use"
    assert Category.objects.filter(pk=product.category_id).exists()


def test_admin_creates_a_product(admin_client):
    category = CategoryFactory()
    response = admin_client.post("/api/products", product_body(category), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["price"] == "499.00"
    assert body["slug"] == "kindle-11"
    assert body["category"] == {"id": category.pk, "name": category.name, "slug": category.slug}
    assert body["in_stock"] is True
    assert Product.objects.get(sku="KINDLE-11").stock == 7


def test_admin_updates_a_product(admin_client):
    product = ProductFactory(stock=3)
    patched = admin_client.patch(
        f"/api/products/{product.pk}", {"price": "89.90", "stock": 0}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert (patched.json()["price"], patched.json()["stock"], patched.json()["in_stock"]) == (
        "89.90",
        0,
        False,
    )
    put = admin_client.put(
        f"/api/products/{product.pk}",
        product_body(product.category, sku=product.sku),
        format="json",
    )
    assert put.status_code == 200, put.content
    product.refresh_from_db()
    assert (product.name, product.stock) == ("Kindle 11", 7)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"price": "-1.00"}, "price"),
        ({"price": "0"}, "price"),
        ({"price": "abc"}, "price"),
        ({"price": "1.999"}, "price"),
        ({"price": "99999999999.00"}, "price"),
        ({"stock": -1}, "stock"),
        ({"stock": "many"}, "stock"),
        ({"stock": 10**12}, "stock"),
        ({"category": 999999}, "category"),
        ({"category": "books"}, "category"),
        ({"name": ""}, "name"),
        ({"slug": "not a slug!"}, "slug"),
    ],
)
def test_invalid_product_input_is_400_and_changes_nothing(admin_client, overrides, field):
    category = CategoryFactory()
    response = admin_client.post(
        "/api/products", product_body(category, **overrides), format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert set(response.json()) == {"detail", "code", "errors"}
    assert not Product.objects.exists()


def test_duplicate_sku_is_400(admin_client):
    existing = ProductFactory(sku="DUP-1")
    response = admin_client.post(
        "/api/products", product_body(existing.category, sku="DUP-1"), format="json"
    )
    assert response.status_code == 400
    assert "sku" in response.json()["errors"]


def test_invalid_patch_changes_nothing(admin_client):
    product = ProductFactory(price=Decimal("10.00"), stock=5)
    response = admin_client.patch(
        f"/api/products/{product.pk}", {"price": "5.00", "stock": -3}, format="json"
    )
    assert response.status_code == 400
    product.refresh_from_db()
    assert (product.price, product.stock) == (Decimal("10.00"), 5)


def test_deleting_a_product_without_history_removes_it(admin_client):
    product = ProductFactory()
    assert admin_client.delete(f"/api/products/{product.pk}").status_code == 204
    assert not Product.objects.filter(pk=product.pk).exists()


def test_archived_products_are_hidden_from_the_public_but_not_from_admins(clients):
    ProductFactory(name="Visible")
    archived = ProductFactory(name="Archived", is_active=False)
    for role in ("anon", "customer"):
        assert names(clients[role].get("/api/products")) == ["Visible"]
        assert clients[role].get(f"/api/products/{archived.pk}").status_code == 404
    assert names(clients["admin"].get("/api/products")) == ["Archived", "Visible"]
    assert clients["admin"].get(f"/api/products/{archived.pk}").status_code == 200
    assert names(clients["admin"].get("/api/products", {"is_active": "false"})) == ["Archived"]


def test_unknown_product_is_404_json(anon_client, db):
    response = anon_client.get("/api/products/424242")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
