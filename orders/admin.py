from django.contrib import admin

from orders.models import Order, OrderEvent, OrderLine


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ("product", "product_name", "sku", "unit_price", "quantity", "line_total")
    readonly_fields = fields


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ("from_status", "to_status", "at", "by")
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Orders are written by the shop's services; the back office reads them."""

    list_display = ("id", "customer", "status", "total", "ticket_code", "created_at")
    list_filter = ("status", "created_at")
    search_fields = ("ticket__code", "customer__email")
    list_select_related = ("customer", "ticket")
    inlines = (OrderLineInline, OrderEventInline)
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Ticket", ordering="ticket__code")
    def ticket_code(self, order: Order) -> str:
        return getattr(getattr(order, "ticket", None), "code", "-")
