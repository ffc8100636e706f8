from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import Product
from core.moments import check_moment_year, moment
from flashsales import clock
from flashsales.models import Claim, FlashSale, SaleFigures


class SaleProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "name"]
        read_only_fields = fields


class FlashSaleSerializer(serializers.ModelSerializer):
    """A sale with its live figures, taken at one instant."""

    product = SaleProductSerializer(read_only=True)
    product_id = serializers.PrimaryKeyRelatedField(
        source="product", queryset=Product.objects.filter(is_active=True), write_only=True
    )
    status = serializers.SerializerMethodField()
    current_drop = serializers.SerializerMethodField()
    remaining = serializers.SerializerMethodField()
    next_drop_at = serializers.SerializerMethodField()
    price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal(10**9),
        required=False,
    )
    units_per_drop = serializers.IntegerField(min_value=1, max_value=100_000, required=False)
    drops = serializers.IntegerField(min_value=1, max_value=1_000, required=False)
    drop_interval_minutes = serializers.IntegerField(min_value=1, max_value=10_080, required=False)
    per_customer_limit = serializers.IntegerField(min_value=1, max_value=100, required=False)
    hold_minutes = serializers.IntegerField(min_value=1, max_value=1_440, required=False)

    class Meta:
        model = FlashSale
        fields = [
            "id",
            "product",
            "product_id",
            "price",
            "units_per_drop",
            "drops",
            "first_drop_at",
            "drop_interval_minutes",
            "per_customer_limit",
            "hold_minutes",
            "status",
            "current_drop",
            "remaining",
            "next_drop_at",
        ]

    def validate_first_drop_at(self, value):
        return check_moment_year(value)

    def _figures(self, sale: FlashSale) -> SaleFigures:
        """The sale's figures, taken once per answer at one instant for every sale in it."""
        if "now" not in self.context:
            self.context["now"] = clock.now()
        cached = self.context.setdefault("figures", {})
        if sale.pk not in cached:
            cached[sale.pk] = sale.figures(self.context["now"])
        return cached[sale.pk]

    @extend_schema_field(serializers.ChoiceField(choices=FlashSale.Status.choices))
    def get_status(self, sale: FlashSale) -> str:
        return self._figures(sale).status

    def get_current_drop(self, sale: FlashSale) -> int | None:
        return self._figures(sale).current_drop

    def get_remaining(self, sale: FlashSale) -> int:
        return self._figures(sale).remaining

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_next_drop_at(self, sale: FlashSale):
        return moment(self._figures(sale).next_drop_at)


class ClaimCreatedSerializer(serializers.Serializer):
    claim_id = serializers.IntegerField(source="id")
    order_id = serializers.IntegerField()
    expires_at = serializers.DateTimeField(source="order.expires_at")


class ClaimSerializer(serializers.ModelSerializer):
    order_id = serializers.IntegerField(read_only=True)
    expires_at = serializers.DateTimeField(source="order.expires_at", read_only=True)

    class Meta:
        model = Claim
        fields = ["id", "drop", "status", "order_id", "expires_at", "created_at"]
        read_only_fields = fields
