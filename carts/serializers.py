from dataclasses import replace
from decimal import Decimal

from django.utils import timezone
from rest_framework import serializers

from carts.models import Cart, CartItem
from core.ids import MAX_ID
from orders.serializers import OrderSerializer
from orders.services import order_as_placed
from tickets.serializers import TicketSummarySerializer


class CartItemSerializer(serializers.ModelSerializer):
    product_id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="product.name", read_only=True)
    unit_price = serializers.DecimalField(
        source="product.price", max_digits=12, decimal_places=2, read_only=True
    )
    available = serializers.SerializerMethodField()
    subtotal = serializers.SerializerMethodField()

    class Meta:
        model = CartItem
        fields = ["product_id", "name", "unit_price", "quantity", "subtotal", "available"]
        read_only_fields = fields

    def get_available(self, item: CartItem) -> bool:
        """What the purchase would do with the line now: buy it (true) or leave it (false)."""
        if "now" not in self.context:
            self.context["now"] = timezone.now()
        return item.product.sells(item.quantity, now=self.context["now"])

    def get_subtotal(self, item: CartItem) -> str:
        return str(item.product.price * item.quantity)


class CartSerializer(serializers.ModelSerializer):
    items = CartItemSerializer(many=True, read_only=True)
    total = serializers.SerializerMethodField()

    class Meta:
        model = Cart
        fields = ["id", "items", "total", "updated_at"]
        read_only_fields = fields

    def get_total(self, cart: Cart) -> str:
        return str(sum((i.product.price * i.quantity for i in cart.items.all()), Decimal("0.00")))


class CartItemAddSerializer(serializers.Serializer):
    product_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    quantity = serializers.IntegerField(min_value=1, max_value=10**6)


class CartItemSetSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1, max_value=10**6)


class PurchaseRequestSerializer(serializers.Serializer):
    """What a purchase may choose with it (each optional; PUT /api/orders/{id}/shipping and
    /coupon choose them later)."""

    address_id = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    shipping_method_id = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    coupon = serializers.CharField(required=False, max_length=40)


class PurchaseSerializer(serializers.Serializer):
    ticket = TicketSummarySerializer()
    order = OrderSerializer()
    unprocessed_product_ids = serializers.ListField(child=serializers.IntegerField())

    def to_representation(self, purchase):
        # The order as placed: its lines and timeline are in hand, nothing is read back.
        return super().to_representation(replace(purchase, order=order_as_placed(purchase.order)))
