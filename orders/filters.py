import django_filters

from core.filters import FilterSet, UtcIsoDateTimeFilter
from orders.models import Order


class OrderFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=Order.Status.choices)
    customer = django_filters.CharFilter(field_name="customer__email", lookup_expr="icontains")
    created_after = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Order
        fields = ["status", "customer", "created_after", "created_before"]
