from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.permissions import is_admin
from core.qr import qr_svg
from payments.models import Payment, PaymentLog

# What a card payment request must never carry: the card itself. A token stands in for it.
# Names a card number or security code goes by, compared without case or separators.
CARD_DATA_FIELDS = {"number", "cardnumber", "cvv", "cvv2", "cvc", "cvc2", "securitycode", "pan"}


def carries_card_data(data) -> bool:
    """Whether a request body holds a card number or code under any key, at any depth."""
    pending = [data]
    while pending:  # a loop, not recursion: the body may be nested as deep as parsing allows
        item = pending.pop()
        if isinstance(item, dict):
            keys = ("".join(c for c in str(key).lower() if c.isalnum()) for key in item)
            if CARD_DATA_FIELDS.intersection(keys):
                return True
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class PaymentCreateSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=Payment.Method.choices)
    card_token = serializers.CharField(
        required=False, max_length=64, help_text="From the provider's card tokenisation."
    )
    installments = serializers.IntegerField(required=False, min_value=1, max_value=12, default=1)

    def validate(self, attrs):
        if attrs["method"] == Payment.Method.CARD and not attrs.get("card_token"):
            raise serializers.ValidationError(
                {"card_token": _("A card payment needs a card token.")}
            )
        return attrs


class PixSerializer(serializers.Serializer):
    copy_paste = serializers.CharField(source="pix_copy_paste", help_text="BR Code payload")
    qr_code_svg = serializers.SerializerMethodField()

    def get_qr_code_svg(self, payment: Payment) -> str:
        return qr_svg(payment.pix_copy_paste) if payment.pix_copy_paste else ""


class CardSerializer(serializers.Serializer):
    brand = serializers.CharField(source="card_brand")
    last4 = serializers.CharField(source="card_last4")
    exp_month = serializers.IntegerField(source="card_exp_month", allow_null=True)
    exp_year = serializers.IntegerField(source="card_exp_year", allow_null=True)


class PaymentLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = PaymentLog
        fields = ["kind", "status", "data", "at"]
        read_only_fields = fields


class PaymentSerializer(serializers.ModelSerializer):
    order_id = serializers.IntegerField(read_only=True)
    pix = serializers.SerializerMethodField()
    card = serializers.SerializerMethodField()
    action_url = serializers.SerializerMethodField()
    transactions = serializers.SerializerMethodField(help_text="Administrators only.")

    class Meta:
        model = Payment
        fields = [
            "id",
            "order_id",
            "method",
            "status",
            "status_detail",
            "amount",
            "installments",
            "expires_at",
            "created_at",
            "pix",
            "card",
            "action_url",
            "transactions",
        ]
        read_only_fields = fields

    @extend_schema_field(PixSerializer(allow_null=True))
    def get_pix(self, payment: Payment):
        return PixSerializer(payment).data if payment.method == Payment.Method.PIX else None

    @extend_schema_field(CardSerializer(allow_null=True))
    def get_card(self, payment: Payment):
        return CardSerializer(payment).data if payment.card_last4 else None

    def get_action_url(self, payment: Payment) -> str | None:
        return payment.action_url or None

    @extend_schema_field(PaymentLogSerializer(many=True, allow_null=True))
    def get_transactions(self, payment: Payment):
        request = self.context.get("request")
        if request is None or not is_admin(request.user):
            return None
        return PaymentLogSerializer(payment.log.all(), many=True).data


class SandboxCardSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=23, write_only=True)
    holder_name = serializers.CharField(max_length=100, write_only=True)
    exp_month = serializers.IntegerField(min_value=1, max_value=12, write_only=True)
    exp_year = serializers.IntegerField(min_value=2000, max_value=2100, write_only=True)
    cvv = serializers.CharField(max_length=4, write_only=True)
    token = serializers.CharField(read_only=True)
    brand = serializers.CharField(read_only=True)
    last4 = serializers.CharField(read_only=True)


class WebhookAnswerSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=["processed", "duplicate", "ignored"])


class SandboxPayAnswerSerializer(serializers.Serializer):
    detail = serializers.CharField()
