from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.permissions import is_admin
from core.moments import moment
from orders.models import Order, OrderEvent, OrderLine

_MONEY = serializers.DecimalField(max_digits=12, decimal_places=2)
STAFF = "staff"


def event_actor(event: OrderEvent, customer_id: int, context: dict) -> str | None:
    """Who made a change, as the viewer may see it: the e-mail of the order's own customer,
    a staff member's only to staff ("staff" to the customer); None for the shop itself."""
    if not event.by_id:
        return None
    request = context.get("request")
    if event.by_id == customer_id or (request is not None and is_admin(request.user)):
        return event.by.email
    return STAFF


class OrderStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Order.Status.choices)
    carrier = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text="To ship: a carrier's key"
    )
    tracking_code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="To ship: the parcel's code (Correios: AA123456785BR, check digit verified)",
    )


class OrderShippingRequestSerializer(serializers.Serializer):
    address_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text="Required for a delivery; none for pickup",
    )
    shipping_method_id = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class OrderCouponRequestSerializer(serializers.Serializer):
    code = serializers.CharField(
        allow_blank=True, allow_null=True, max_length=40, help_text="Empty or null removes it"
    )


class ShippingMethodBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    min_days = serializers.IntegerField()
    max_days = serializers.IntegerField()


class ShippingAddressSerializer(serializers.Serializer):
    recipient_name = serializers.CharField()
    cep = serializers.CharField()
    street = serializers.CharField()
    number = serializers.CharField()
    complement = serializers.CharField()
    district = serializers.CharField()
    city = serializers.CharField()
    state = serializers.CharField()
    phone = serializers.CharField()


class OrderShippingSerializer(serializers.Serializer):
    method = ShippingMethodBriefSerializer()
    address = ShippingAddressSerializer(allow_null=True)


def shipping_of(order: Order) -> dict | None:
    """How the order travels: the method and the address as they were chosen; None before."""
    method = order.shipping_method
    if method is None:
        return None
    return {
        "method": {
            "id": method.pk,
            "name": method.name,
            "kind": order.shipping_kind,
            "min_days": method.min_days,
            "max_days": method.max_days,
        },
        "address": order.shipping_address or None,
    }


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
    by = serializers.SerializerMethodField(
        help_text='The e-mail of whoever made the change; "staff" for a staff member when a '
        "customer reads it; null for the shop itself (payment, expiry)."
    )

    class Meta:
        model = OrderEvent
        fields = ["from_status", "to_status", "at", "by"]
        read_only_fields = fields

    def get_by(self, event: OrderEvent) -> str | None:
        return event_actor(event, event.order.customer_id, self.context)


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
    shipping = serializers.SerializerMethodField()
    tracking_url = serializers.CharField(read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "status",
            "source",
            "subtotal",
            "discount",
            "shipping_price",
            "total",
            "coupon_code",
            "needs_shipping",
            "shipping",
            "carrier",
            "tracking_code",
            "tracking_url",
            "customer",
            "ticket_code",
            "expires_at",
            "created_at",
            "updated_at",
            "lines",
            "payments",
            "timeline",
        ]
        read_only_fields = fields

    def to_representation(self, order: Order) -> dict:
        # The same fields, formats and order as ModelSerializer's, built directly: building
        # the nested serializers' fields was a third of a purchase's CPU (test_serializers
        # pins the equality with the generic form).
        money = _MONEY.to_representation
        try:
            ticket_code = order.ticket.code
        except ObjectDoesNotExist:
            ticket_code = None
        return {
            "id": order.pk,
            "status": order.status,
            "source": order.source,
            "subtotal": money(order.subtotal),
            "discount": money(order.discount),
            "shipping_price": money(order.shipping_price),
            "total": money(order.total),
            "coupon_code": order.coupon_code,
            "needs_shipping": order.needs_shipping,
            "shipping": self.get_shipping(order),
            "carrier": order.carrier,
            "tracking_code": order.tracking_code,
            "tracking_url": order.tracking_url,
            "customer": order.customer.email,
            "ticket_code": ticket_code,
            "expires_at": moment(order.expires_at),
            "created_at": moment(order.created_at),
            "updated_at": moment(order.updated_at),
            "lines": [
                {
                    "product_id": line.product_id,
                    "product_name": line.product_name,
                    "sku": line.sku,
                    "unit_price": money(line.unit_price),
                    "quantity": line.quantity,
                    "line_total": money(line.line_total),
                }
                for line in order.lines.all()
            ],
            "payments": self.get_payments(order),
            "timeline": [
                {
                    "from_status": event.from_status or None,
                    "to_status": event.to_status,
                    "at": moment(event.at),
                    "by": event_actor(event, order.customer_id, self.context),
                }
                for event in order.events.all()
            ],
        }

    @extend_schema_field(OrderShippingSerializer(allow_null=True))
    def get_shipping(self, order: Order) -> dict | None:
        return shipping_of(order)

    @extend_schema_field(OrderPaymentSerializer(many=True))
    def get_payments(self, order: Order) -> list:
        # The payments app owns the `payments` relation; orders never import it.
        payments = getattr(order, "payments", None)
        if payments is None:
            return []
        return [
            {
                "id": p.pk,
                "method": p.method,
                "status": p.status,
                "amount": _MONEY.to_representation(p.amount),
                "created_at": moment(p.created_at),
            }
            for p in payments.all()
        ]
