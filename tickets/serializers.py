from rest_framework import serializers

from orders.serializers import OrderLineSerializer
from tickets.models import Admission, Ticket


class TicketSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Ticket
        fields = ["id", "code", "purchase_datetime", "amount", "purchaser"]
        read_only_fields = fields


class TicketSerializer(TicketSummarySerializer):
    order_id = serializers.IntegerField(read_only=True)
    lines = OrderLineSerializer(source="order.lines", many=True, read_only=True)

    class Meta(TicketSummarySerializer.Meta):
        fields = [*TicketSummarySerializer.Meta.fields, "order_id", "lines"]
        read_only_fields = fields


class AdmissionSerializer(serializers.ModelSerializer):
    """`{code, product_id, order_id, holder, status, checked_in_at}`."""

    product_id = serializers.IntegerField(read_only=True)
    order_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Admission
        fields = ["code", "product_id", "order_id", "holder", "status", "checked_in_at"]
        read_only_fields = fields


class CheckInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=100)


class CheckedInSerializer(serializers.Serializer):
    admission = AdmissionSerializer()
