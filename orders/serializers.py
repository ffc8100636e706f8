from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from orders.models import Order, OrderEvent, OrderLine


class OrderLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderLine
        fields = ["product_id", "product_name", "sku", "unit_price", "quantity", "line_total"]
        read_only_fields = fields


class FromStatusField(serializers.ChoiceField):
    """The status an event left: null for the event that created the order."""

    def to_representation(self, value):
        return value or None


class OrderEventSerializer(serializers.ModelSerializer):
    from_status = FromStatusField(choices=Order.Status.choices, allow_null=True, read_only=True)
    by = serializers.EmailField(source="by.email", read_only=True, default=None, allow_null=True)

    class Meta:
        model = OrderEvent
        fields = ["from_status", "to_status", "at", "by"]
        read_only_fields = fields


class OrderPaymentSerializer(serializers.Serializer):
    """A payment as its order lists it; GET /api/payments/{id} has the rest."""

    id = serializers.IntegerField()
    method = serializers.CharField()
    status = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    created_at = serializers.DateTimeField()


class OrderSerializer(serializers.ModelSerializer):
    customer = serializers.EmailField(source="customer.email", read_only=True)
    ticket_code = serializers.CharField(
        source="ticket.code", read_only=True, default=None, allow_null=True
    )  # flash-sale claims have no ticket
    lines = OrderLineSerializer(many=True, read_only=True)
    payments = serializers.SerializerMethodField()
    timeline = OrderEventSerializer(source="events", many=True, read_only=True)

    class Meta:
        model = Order
        fields = [
            "id", "status", "source", "total", "customer", "ticket_code", "expires_at",
            "created_at", "updated_at",
            "lines", "payments", "timeline",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(OrderPaymentSerializer(many=True))
    def get_payments(self, order: Order) -> list:
        # The payments app owns the `payments` relation; orders never import it.
        payments = getattr(order, "payments", None)
        return [] if payments is None else OrderPaymentSerializer(payments.all(), many=True).data
