from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.html import format_html_join

from config.admin import ReadOnlyAdminMixin
from config.exceptions import ApplicationError
from flashsales import clock, services
from flashsales.models import Claim, FlashSale

PLAN = ("product", "price", "units_per_drop", "drops", "first_drop_at", "drop_interval_minutes",
        "per_customer_limit", "hold_minutes")  # fmt: skip


@admin.register(FlashSale)
class FlashSaleAdmin(admin.ModelAdmin):
    """Sales are written through the flash-sale services (stock taken and given back there)."""

    list_display = ("id", "product", "price", "first_drop_at", "status", "current_drop",
                    "remaining", "held", "paid", "given_back")  # fmt: skip
    list_select_related = ("product",)
    fields = (*PLAN, "units_released", "units_taken", "closed_at", "per_drop")
    readonly_fields = ("units_released", "units_taken", "closed_at", "per_drop")
    autocomplete_fields = ("product",)

    def get_queryset(self, request):
        s = Claim.Status
        return (
            super().get_queryset(request)
            .annotate(
                held_count=Count("claims", filter=Q(claims__status=s.HELD)),
                paid_count=Count("claims", filter=Q(claims__status=s.PAID)),
                back_count=Count("claims", filter=Q(claims__status__in=[s.EXPIRED, s.CANCELLED])),
            )
        )  # fmt: skip

    @admin.display(description="Status")
    def status(self, sale):
        return sale.status(clock.now())

    @admin.display(description="Drop")
    def current_drop(self, sale):
        return sale.current_drop(clock.now())

    @admin.display(description="Remaining")
    def remaining(self, sale):
        return sale.remaining(clock.now())

    @admin.display(description="Held", ordering="held_count")
    def held(self, sale):
        return sale.held_count

    @admin.display(description="Paid", ordering="paid_count")
    def paid(self, sale):
        return sale.paid_count

    @admin.display(description="Expired or cancelled", ordering="back_count")
    def given_back(self, sale):
        return sale.back_count

    @admin.display(description="Claims per drop (held / paid / expired / cancelled)")
    def per_drop(self, sale):
        rows = (
            Claim.objects.filter(sale=sale).values("drop")
            .annotate(**{status: Count("id", filter=Q(status=status)) for status in Claim.Status})
            .order_by("drop")
        )  # fmt: skip
        return format_html_join(
            "", "<div>drop {}: {} / {} / {} / {}</div>",
            ((r["drop"], r["held"], r["paid"], r["expired"], r["cancelled"]) for r in rows),
        ) or "-"  # fmt: skip

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in PLAN if name in form.cleaned_data}
        try:
            if change:
                services.flash_sale_update(sale=obj, **data)
            else:
                obj.pk = services.flash_sale_create(**data).pk
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)

    def delete_model(self, request, obj):
        try:
            services.flash_sale_delete(sale=obj)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "sale", "drop", "customer", "status", "order", "created_at")
    list_filter = ("status", "sale")
    search_fields = ("customer__email",)
    list_select_related = ("sale__product", "customer", "order")
