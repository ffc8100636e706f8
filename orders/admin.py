from django.conf import settings
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin, ReadOnlyTabularInline
from core.exceptions import ApplicationError
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

    list_display = (
        "id",
        "customer",
        "status",
        "source",
        "total",
        "shipping_method",
        "coupon_code",
        "ticket_code",
        "created_at",
    )
    list_filter = ("status", "source", "shipping_kind", "shipping_method", "created_at")
    search_fields = ("ticket__code", "customer__email", "tracking_code", "coupon_code")
    list_select_related = ("customer", "ticket", "shipping_method")
    fieldsets = (
        (None, {"fields": ("customer", "status", "source", "expires_at", "created_at")}),
        ("Totals", {"fields": ("subtotal", "discount", "coupon_code", "shipping_price", "total")}),
        (
            "Shipping",
            {
                "fields": (
                    "needs_shipping",
                    "shipping_method",
                    "shipping_kind",
                    "ships_to",
                    "carrier",
                    "tracking_code",
                    "tracking_link",
                )
            },
        ),
        ("Fiscal record", {"fields": ("buyer_name", "buyer_cpf", "fiscal_until")}),
    )
    readonly_fields = ("ships_to", "tracking_link", "created_at")
    inlines = (OrderLineInline, OrderEventInline)
    date_hierarchy = "created_at"
    actions = ("mark_preparing", "mark_shipped", "mark_delivered", "cancel")

    def _transition_each(self, request, queryset, to: str, tracking=None) -> None:
        moved, refused = 0, []
        for order in queryset.order_by("pk"):
            carrier, code = tracking(order) if tracking else ("", "")
            try:
                order_set_status(
                    order=order, to=to, by=request.user, carrier=carrier, tracking_code=code
                )
                moved += 1
            except ApplicationError as exc:
                refused.append(f"#{order.pk}: {exc.message}")
        if moved:
            self.message_user(request, f"{moved} order(s) now {to}.", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)

    @admin.action(description=_("Mark as preparing"), permissions=["view"])
    def mark_preparing(self, request, queryset):
        self._transition_each(request, queryset, Order.Status.PREPARING)

    @admin.action(
        description=_("Mark as shipped (asks each carrier and tracking code)"), permissions=["view"]
    )
    def mark_shipped(self, request, queryset):
        """An intermediate page asks each order's carrier and code, then ships them."""
        if "apply" in request.POST:
            self._transition_each(
                request,
                queryset,
                Order.Status.SHIPPED,
                tracking=lambda order: (
                    request.POST.get(f"carrier_{order.pk}", ""),
                    request.POST.get(f"tracking_{order.pk}", ""),
                ),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Ship orders",
            "opts": self.model._meta,
            "rows": [
                {
                    "order": order,
                    "carrier": order.carrier or "correios",
                    "code": order.tracking_code,
                }
                for order in queryset.order_by("pk")
            ],
            "carriers": list(settings.CARRIER_TRACKING_URLS),
        }
        return TemplateResponse(request, "admin/orders/order/ship.html", context)

    @admin.action(description=_("Mark as delivered"), permissions=["view"])
    def mark_delivered(self, request, queryset):
        self._transition_each(request, queryset, Order.Status.DELIVERED)

    @admin.action(description=_("Cancel unpaid orders (stock goes back)"), permissions=["view"])
    def cancel(self, request, queryset):
        self._transition_each(request, queryset, Order.Status.CANCELLED)

    @admin.display(description=_("Ships to"))
    def ships_to(self, order: Order) -> str:
        a = order.shipping_address
        if not a:
            return "-"
        return (
            f"{a['recipient_name']}, {a['street']}, {a['number']} {a['complement']} - "
            f"{a['district']}, {a['city']}/{a['state']}, CEP {a['cep'][:5]}-{a['cep'][5:]}"
        )

    @admin.display(description=_("Tracking"))
    def tracking_link(self, order: Order) -> str:
        url = order.tracking_url
        return format_html('<a href="{}" rel="noopener">{}</a>', url, url) if url else "-"

    @admin.display(description=_("Ticket"), ordering="ticket__code")
    def ticket_code(self, order: Order) -> str:
        return getattr(getattr(order, "ticket", None), "code", "-")
