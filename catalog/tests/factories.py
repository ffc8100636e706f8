from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from catalog.models import Category, Product


class CategoryFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")

    class Meta:
        model = Category


class ProductFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    description = "A product"
    price = Decimal("100.00")
    stock = 10
    category = factory.SubFactory(CategoryFactory)

    class Meta:
        model = Product
