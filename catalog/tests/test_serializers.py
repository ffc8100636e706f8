from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from catalog.models import Event, Product
from catalog.serializers import ProductSerializer
from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


class GenericProductSerializer(ProductSerializer):
    """DRF's own field-by-field rendering of the same declaration."""

    to_representation = serializers.ModelSerializer.to_representation


def test_the_lean_product_representation_is_the_generic_one_byte_for_byte(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    ProductFactory(stock=0, price="1.00", description="")
    ProductFactory(stock=7, price="12345.67", image="products/phone.png", is_active=False)
    show = ProductFactory(stock=300)
    Event.objects.create(product=show, starts_at=timezone.now(), venue="Casino Hall")
    Event.objects.create(
        product=ProductFactory(),
        starts_at=timezone.now(),
        venue="Arena",
        ends_at=timezone.now() + timedelta(hours=2),
    )
    request = APIRequestFactory().get("/api/products")
    products = Product.objects.select_related("category", "event").order_by("pk")
    lean = ProductSerializer(products, many=True, context={"request": request}).data
    generic = GenericProductSerializer(products, many=True, context={"request": request}).data
    assert [list(p.items()) for p in lean] == [list(p.items()) for p in generic]
    assert lean[1]["image"].startswith("http://testserver/")
