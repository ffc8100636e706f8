import pytest
from django.db.models import ProtectedError

from catalog import services
from catalog.models import Product
from catalog.tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def sell(product, units):
    """What a purchase does meanwhile: a direct decrement of the row."""
    Product.objects.filter(pk=product.pk).update(stock=product.stock - units)


@pytest.mark.parametrize(("typed", "expected"), [(15, 12), (5, 2), (0, 0), (10, 7)])
def test_an_editor_stock_change_keeps_units_sold_while_the_form_was_open(typed, expected):
    product = ProductFactory(stock=10)
    sell(product, 3)  # the form still shows 10
    services.product_update(product=product, stock_seen=10, stock=typed)
    product.refresh_from_db()
    assert product.stock == expected


def test_changing_other_fields_never_writes_a_stale_stock():
    product = ProductFactory(stock=10, name="Old")
    stale = Product.objects.get(pk=product.pk)
    sell(product, 4)
    services.product_update(product=stale, name="New")
    stale.refresh_from_db()
    assert (stale.name, stale.stock) == ("New", 6)


def test_an_api_stock_value_sets_the_stock():
    product = ProductFactory(stock=10)
    services.product_update(product=product, stock=42)
    product.refresh_from_db()
    assert product.stock == 42


def test_slugs_are_generated_unique():
    category = CategoryFactory()
    first = services.product_create(name="Café Pilão", sku="A", price=1, category=category)
    second = services.product_create(name="Café Pilão", sku="B", price=1, category=category)
    assert (first.slug, second.slug) == ("cafe-pilao", "cafe-pilao-2")


def test_delete_archives_a_product_that_something_protects(monkeypatch):
    product = ProductFactory()

    def protected_delete(*args, **kwargs):
        raise ProtectedError("order lines refer to it", set())

    monkeypatch.setattr(Product, "delete", protected_delete)
    archived = services.product_delete(product=product)
    assert archived is not None
    product.refresh_from_db()
    assert product.is_active is False
