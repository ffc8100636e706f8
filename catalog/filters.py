from decimal import Decimal

import django_filters
from django.db.models.functions import Lower
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from catalog.models import Product
from core.filters import FilterSet, UtcIsoDateTimeFilter
from core.ids import parse_database_id

BOOLEAN_CHOICES = [("true", "true"), ("false", "false"), ("1", "1"), ("0", "0")]


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """A boolean query parameter that rejects anything but true/false/1/0 with a 400."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            *args, choices=BOOLEAN_CHOICES, coerce=lambda v: v in ("true", "1"), **kwargs
        )


MAX_PRICE = Decimal("9999999999.99")  # the price column: 12 digits, 2 after the point


@extend_schema_field({"type": "number", "minimum": 0, "maximum": float(MAX_PRICE)})
class PriceFilter(django_filters.NumberFilter):
    """A price bound: 400 outside what a price can be, as the schema says."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=Decimal("0"), max_value=MAX_PRICE, **kwargs)


class ProductOrderingFilter(django_filters.OrderingFilter):
    """Order names as people read them: "iPhone" sorts between "Galaxy" and "Moto"."""

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        if value.lstrip("-") == "name":
            return Lower("name").desc() if value.startswith("-") else Lower("name").asc()
        return value

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "id") if value else qs


class ProductFilter(FilterSet):
    category = django_filters.CharFilter(method="filter_category", help_text="Category id or slug")
    min_price = PriceFilter(field_name="price", lookup_expr="gte")
    max_price = PriceFilter(field_name="price", lookup_expr="lte")
    in_stock = StrictBooleanFilter(method="filter_in_stock")
    is_active = StrictBooleanFilter(field_name="is_active")
    is_event = StrictBooleanFilter(method="filter_is_event")
    starts_after = UtcIsoDateTimeFilter(
        field_name="event__starts_at", lookup_expr="gte", help_text="Events starting from then"
    )
    starts_before = UtcIsoDateTimeFilter(
        field_name="event__starts_at", lookup_expr="lte", help_text="Events starting until then"
    )
    ordering = ProductOrderingFilter(
        fields=(("price", "price"), ("name", "name"), ("created_at", "created"))
    )

    class Meta:
        model = Product
        fields = [
            "category",
            "min_price",
            "max_price",
            "in_stock",
            "is_active",
            "is_event",
            "starts_after",
            "starts_before",
        ]

    def filter_category(self, queryset, name, value):
        if value.isdigit():
            category_id = parse_database_id(value)
            return queryset.filter(category_id=category_id) if category_id else queryset.none()
        return queryset.filter(category__slug=value)

    def filter_is_event(self, queryset, name, value):
        return queryset.filter(event__isnull=not value)

    def filter_in_stock(self, queryset, name, value):
        return queryset.filter(stock__gt=0) if value else queryset.filter(stock=0)
