from django.contrib import admin

from config.admin import ReadOnlyAdminMixin, ReadOnlyTabularInline
from orders.models import Order, OrderEvent, OrderLine


class OrderLineInline(ReadOnlyTabularInline):
    model = OrderLine
    fields = ("product", "product_name", "sku", "unit_price", "quantity", "line_total")


class OrderEventInline(ReadOnlyTabularInline):
    model = OrderEvent
    fields = ("from_status", "to_status", "at", "by")


@admin.register(Order)
class OrderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Orders change only through the order services; the back office reads them."""

    list_display = ("id", "customer", "status", "source", "total", "ticket_code", "created_at")
    list_filter = ("status", "source", "created_at")
    search_fields = ("ticket__code", "customer__email")
    list_select_related = ("customer", "ticket")
    inlines = (OrderLineInline, OrderEventInline)
    date_hierarchy = "created_at"

    @admin.display(description="Ticket", ordering="ticket__code")
    def ticket_code(self, order: Order) -> str:
        return getattr(getattr(order, "ticket", None), "code", "-")
