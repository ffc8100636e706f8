"""The address DTO: exactly the fields that may leave or enter the server."""

from localflavor.br.br_states import STATE_CHOICES
from rest_framework import serializers

from delivery.models import Address


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
