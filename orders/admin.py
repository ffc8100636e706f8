from django.contrib import admin, messages

from core.admin import ReadOnlyAdminMixin, ReadOnlyTabularInline
from orders.errors import IllegalTransition
from orders.models import Order, OrderEvent, OrderLine
from orders.services import order_set_status


class OrderLineInline(ReadOnlyTabularInline):
    model = OrderLine
    fields = ("product", "product_name", "sku", "unit_price", "quantity", "line_total")


class OrderEventInline(ReadOnlyTabularInline):
    model = OrderEvent
    fields = ("from_status", "to_status", "at", "by")


@admin.register(Order)
class OrderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Orders change only through the order services: staff read them and move them along
    their fulfilment with the actions, which call the same service as the API."""

    list_display = ("id", "customer", "status", "source", "total", "ticket_code", "created_at")
    list_filter = ("status", "source", "created_at")
    search_fields = ("ticket__code", "customer__email")
    list_select_related = ("customer", "ticket")
    inlines = (OrderLineInline, OrderEventInline)
    date_hierarchy = "created_at"
    actions = ("mark_preparing", "mark_shipped", "mark_delivered", "cancel")

    def _transition_each(self, request, queryset, to: str) -> None:
        moved, refused = 0, []
        for order in queryset.order_by("pk"):
            try:
                order_set_status(order=order, to=to, by=request.user)
                moved += 1
            except IllegalTransition as exc:
                refused.append(f"#{order.pk}: {exc.message}")
        if moved:
            self.message_user(request, f"{moved} order(s) now {to}.", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)

    @admin.action(description="Mark as preparing", permissions=["view"])
    def mark_preparing(self, request, queryset):
        self._transition_each(request, queryset, Order.Status.PREPARING)

    @admin.action(description="Mark as shipped", permissions=["view"])
    def mark_shipped(self, request, queryset):
        self._transition_each(request, queryset, Order.Status.SHIPPED)

    @admin.action(description="Mark as delivered", permissions=["view"])
    def mark_delivered(self, request, queryset):
        self._transition_each(request, queryset, Order.Status.DELIVERED)

    @admin.action(description="Cancel unpaid orders (stock goes back)", permissions=["view"])
    def cancel(self, request, queryset):
        self._transition_each(request, queryset, Order.Status.CANCELLED)

    @admin.display(description="Ticket", ordering="ticket__code")
    def ticket_code(self, order: Order) -> str:
        return getattr(getattr(order, "ticket", None), "code", "-")
