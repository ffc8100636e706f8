from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin
from core.exceptions import ApplicationError
from flashsales import clock, services
from flashsales.models import Claim, FlashSale, SaleFigures

PLAN = (
    "product",
    "price",
    "units_per_drop",
    "drops",
    "first_drop_at",
    "drop_interval_minutes",
    "per_customer_limit",
    "hold_minutes",
)


class FlashSaleForm(forms.ModelForm):
    """Writes the sale through the services while the form is cleaned, so that a refusal
    (not enough stock, a plan in the past, claims already made) is the form's error and the
    admin never reports a save that did not happen. The admin's transaction holds both."""

    class Meta:
        model = FlashSale
        fields = PLAN

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        data = {name: cleaned[name] for name in PLAN if name in cleaned}
        try:
            if self.instance.pk:
                self.instance = services.flash_sale_update(sale=self.instance, **data)
            else:
                self.instance = services.flash_sale_create(**data)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        return cleaned


@admin.register(FlashSale)
class FlashSaleAdmin(admin.ModelAdmin):
    """Sales are written through the flash-sale services (stock taken and given back there)."""

    form = FlashSaleForm

    list_display = (
        "id",
        "product",
        "price",
        "first_drop_at",
        "status",
        "current_drop",
        "remaining",
        "held",
        "paid",
        "given_back",
    )
    list_select_related = ("product",)
    fields = (*PLAN, "units_released", "units_taken", "closed_at", "per_drop")
    readonly_fields = ("units_released", "units_taken", "closed_at", "per_drop")
    autocomplete_fields = ("product",)

    def get_queryset(self, request):
        s = Claim.Status
        return (
            super()
            .get_queryset(request)
            .annotate(
                held_count=Count("claims", filter=Q(claims__status=s.HELD)),
                paid_count=Count("claims", filter=Q(claims__status=s.PAID)),
                back_count=Count("claims", filter=Q(claims__status__in=[s.EXPIRED, s.CANCELLED])),
            )
        )

    @staticmethod
    def _figures(sale: FlashSale) -> SaleFigures:
        """The row's figures, read once for its three columns."""
        figures = getattr(sale, "_admin_figures", None)
        if figures is None:
            figures = sale._admin_figures = sale.figures(clock.now())
        return figures

    @admin.display(description=_("Status"))
    def status(self, sale):
        return self._figures(sale).status

    @admin.display(description=_("Drop"))
    def current_drop(self, sale):
        return self._figures(sale).current_drop

    @admin.display(description=_("Remaining"))
    def remaining(self, sale):
        return self._figures(sale).remaining

    @admin.display(description=_("Held"), ordering="held_count")
    def held(self, sale):
        return sale.held_count

    @admin.display(description=_("Paid"), ordering="paid_count")
    def paid(self, sale):
        return sale.paid_count

    @admin.display(description=_("Expired or cancelled"), ordering="back_count")
    def given_back(self, sale):
        return sale.back_count

    @admin.display(description=_("Claims per drop (held / paid / expired / cancelled)"))
    def per_drop(self, sale):
        rows = (
            Claim.objects.filter(sale=sale)
            .values("drop")
            .annotate(**{status: Count("id", filter=Q(status=status)) for status in Claim.Status})
            .order_by("drop")
        )
        return (
            format_html_join(
                "",
                "<div>drop {}: {} / {} / {} / {}</div>",
                ((r["drop"], r["held"], r["paid"], r["expired"], r["cancelled"]) for r in rows),
            )
            or "-"
        )

    def save_model(self, request, obj, form, change):
        pass  # written by FlashSaleForm.clean, through the services

    def get_actions(self, request):
        # The bulk delete would bypass flash_sale_delete, which gives the units back.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.claims.exists())

    def delete_model(self, request, obj):
        services.flash_sale_delete(sale=obj)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ApplicationError as exc:  # a claim came in after the page was shown
            self.message_user(request, exc.message, messages.ERROR)
            return redirect(reverse("admin:flashsales_flashsale_change", args=[object_id]))


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "sale", "drop", "customer", "status", "order", "created_at")
    list_filter = ("status", "sale")
    search_fields = ("customer__email",)
    list_select_related = ("sale__product", "customer", "order")
