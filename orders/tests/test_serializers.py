import pytest
from rest_framework import serializers

from accounts.tests.factories import AdminFactory
from catalog.tests.factories import ProductFactory
from orders.models import Order
from orders.serializers import OrderEventSerializer, OrderLineSerializer, OrderSerializer
from orders.services import order_pay, order_set_status
from payments.services import payment_start
from testing.purchases import order_for

pytestmark = pytest.mark.django_db


class GenericOrderSerializer(OrderSerializer):
    """DRF's own field-by-field rendering of the same declaration."""

    lines = OrderLineSerializer(many=True, read_only=True)
    timeline = OrderEventSerializer(source="events", many=True, read_only=True)
    to_representation = serializers.ModelSerializer.to_representation

    def get_payments(self, order):
        from orders.serializers import OrderPaymentSerializer

        return OrderPaymentSerializer(order.payments.all(), many=True).data


def test_the_lean_order_representation_is_the_generic_one_byte_for_byte(customer):
    order = order_for(customer, *((p, 2) for p in ProductFactory.create_batch(2, price="19.99")))
    payment_start(order=order, customer=customer, method="pix")
    order_pay(order=order)
    order_set_status(order=order, to="preparing", by=AdminFactory())
    orders = Order.objects.order_by("pk")
    lean = OrderSerializer(orders, many=True).data
    generic = GenericOrderSerializer(orders, many=True).data
    assert [list(o.items()) for o in lean] == [list(o.items()) for o in generic]
    assert lean[0]["timeline"][1]["by"] is None and lean[0]["timeline"][2]["by"]
    assert lean[0]["payments"][0]["method"] == "pix"
