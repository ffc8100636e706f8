from rest_framework import serializers

from orders.serializers import OrderLineSerializer
from tickets.models import Ticket


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
