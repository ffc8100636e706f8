from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin, ReadOnlyTabularInline
from core.exceptions import ApplicationError
from orders.admin import OrderAdmin
from orders.models import Order
from payments.models import Payment, PaymentLog, WebhookEvent
from payments.services import payment_refund


class PaymentLogInline(ReadOnlyTabularInline):
    model = PaymentLog
    fields = ("at", "kind", "status", "data")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Payments change only through the payment services; the refund action calls the same
    service as the API."""

    list_display = ("id", "order", "method", "status", "amount", "provider", "created_at")
    list_filter = ("status", "method", "provider", "created_at")
    search_fields = ("provider_payment_id", "order__customer__email", "pix_txid")
    list_select_related = ("order",)
    inlines = (PaymentLogInline,)
    actions = ("refund",)
    exclude = ("provider_key",)

    @admin.action(
        description=_("Refund (through the provider; the order becomes refunded)"),
        permissions=["view"],
    )
    def refund(self, request, queryset):
        for payment in queryset.order_by("pk"):
            try:
                payment_refund(payment=payment, by=request.user)
                self.message_user(request, f"Payment #{payment.pk} refunded.", messages.SUCCESS)
            except ApplicationError as exc:
                self.message_user(request, f"#{payment.pk}: {exc.message}", messages.WARNING)


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("provider", "event_id", "payment", "received_at")
    search_fields = ("event_id",)


class PaymentInline(ReadOnlyTabularInline):
    model = Payment
    fields = ("id", "method", "status", "status_detail", "amount", "provider", "created_at")
    show_change_link = True


class OrderWithPaymentsAdmin(OrderAdmin):
    """The order page shows its payments (added here: orders never import payments)."""

    inlines = (*OrderAdmin.inlines, PaymentInline)


admin.site.unregister(Order)
admin.site.register(Order, OrderWithPaymentsAdmin)
