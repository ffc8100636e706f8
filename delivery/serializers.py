"""The address DTO: exactly the fields that may leave or enter the server."""

from decimal import Decimal

from localflavor.br.br_states import STATE_CHOICES
from rest_framework import serializers

from core.moments import check_moment_year
from delivery.models import Address, Coupon, ShippingMethod


class AddressSerializer(serializers.ModelSerializer):
    cep = serializers.CharField(max_length=9, help_text="8 digits (01310100 or 01310-100)")
    state = serializers.ChoiceField(choices=STATE_CHOICES, help_text="A UF code: SP, RJ, ...")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)

    class Meta:
        model = Address
        fields = [
            "id",
            "recipient_name",
            "cep",
            "street",
            "number",
            "complement",
            "district",
            "city",
            "state",
            "phone",
            "is_default",
        ]
        read_only_fields = ["id"]


class CepAddressSerializer(serializers.Serializer):
    cep = serializers.CharField(help_text="8 digits")
    street = serializers.CharField()
    district = serializers.CharField()
    city = serializers.CharField()
    state = serializers.CharField(help_text="A UF code")


class ShippingMethodSerializer(serializers.ModelSerializer):
    states = serializers.ListField(
        child=serializers.ChoiceField(choices=STATE_CHOICES),
        required=False,
        max_length=len(STATE_CHOICES),
        help_text="UF codes it delivers to; empty: every state",
    )

    class Meta:
        model = ShippingMethod
        fields = [
            "id",
            "name",
            "kind",
            "price",
            "free_above",
            "states",
            "min_days",
            "max_days",
            "is_active",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {
            "price": {"min_value": 0},
            "free_above": {"min_value": 0},
        }


class ShippingOptionSerializer(serializers.Serializer):
    """A method that can take an order to an address, at its price for that order."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    min_days = serializers.IntegerField()
    max_days = serializers.IntegerField()

    def to_representation(self, option):
        method, price = option
        return super().to_representation(
            {
                "id": method.pk,
                "name": method.name,
                "kind": method.kind,
                "price": price,
                "min_days": method.min_days,
                "max_days": method.max_days,
            }
        )


class CouponSerializer(serializers.ModelSerializer):
    code = serializers.CharField(max_length=40, help_text="3 to 40 letters, digits, - or _")
    uses = serializers.IntegerField(read_only=True)

    class Meta:
        model = Coupon
        fields = [
            "code",
            "kind",
            "value",
            "min_subtotal",
            "starts_at",
            "ends_at",
            "max_uses",
            "max_uses_per_customer",
            "uses",
            "is_active",
        ]
        extra_kwargs = {
            "starts_at": {"validators": [check_moment_year]},
            "ends_at": {"validators": [check_moment_year]},
            "value": {"min_value": Decimal("0.01")},
            "min_subtotal": {"min_value": 0},
            "max_uses": {"max_value": 2**31 - 1},
            "max_uses_per_customer": {"max_value": 2**31 - 1},
        }
