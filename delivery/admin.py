from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from localflavor.br.br_states import STATE_CHOICES

from accounts.admin import UserAdmin
from accounts.models import User
from delivery import services
from delivery.models import Address, Coupon, ShippingMethod


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("customer", "recipient_name", "cep", "city", "state", "is_default")
    list_filter = ("state", "is_default")
    search_fields = ("customer__email", "recipient_name", "cep", "street", "city")
    raw_id_fields = ("customer",)


class AddressInline(admin.TabularInline):
    model = Address
    extra = 0
    fields = ("recipient_name", "cep", "street", "number", "district", "city", "state")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # written by the customer, through the address book's rules


class UserWithAddressesAdmin(UserAdmin):
    """The customer's page shows their address book (added here: accounts imports no app)."""

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        return inlines if obj is None else (*inlines, AddressInline)  # none on the add form


admin.site.unregister(User)
admin.site.register(User, UserWithAddressesAdmin)


class ShippingMethodForm(forms.ModelForm):
    states = forms.MultipleChoiceField(
        choices=STATE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The states it delivers to; none ticked: every state.",
    )

    class Meta:
        model = ShippingMethod
        fields = [
            "name",
            "kind",
            "price",
            "free_above",
            "states",
            "min_days",
            "max_days",
            "is_active",
        ]


@admin.register(ShippingMethod)
class ShippingMethodAdmin(admin.ModelAdmin):
    form = ShippingMethodForm
    list_display = (
        "name",
        "kind",
        "price",
        "free_above",
        "served",
        "min_days",
        "max_days",
        "is_active",
        "orders_count",
    )
    list_filter = ("kind", "is_active")
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(orders_count=Count("orders"))

    @admin.display(description=_("States"))
    def served(self, method: ShippingMethod) -> str:
        return ", ".join(method.states) or "all"

    @admin.display(description=_("Orders"), ordering="orders_count")
    def orders_count(self, method) -> int:
        return method.orders_count

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            services.shipping_method_update(method=obj, **fields)
        else:
            obj.pk = services.shipping_method_create(**form.cleaned_data).pk


class CouponForm(forms.ModelForm):
    class Meta:
        model = Coupon
        fields = [
            "code",
            "kind",
            "value",
            "min_subtotal",
            "starts_at",
            "ends_at",
            "max_uses",
            "max_uses_per_customer",
            "is_active",
        ]

    def clean_code(self):
        return services.coupon_normalize(self.cleaned_data["code"])

    def clean_max_uses(self):
        # The form leaves `uses` out, and with it Django's check of the constraint on it.
        maximum = self.cleaned_data["max_uses"]
        if maximum is not None and maximum < self.instance.uses:
            raise forms.ValidationError(_("The maximum is below the uses already counted."))
        return maximum


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    """Coupons and their uses (counted by orders under the coupon's lock, never typed in)."""

    form = CouponForm
    list_display = (
        "code",
        "kind",
        "value",
        "min_subtotal",
        "starts_at",
        "ends_at",
        "uses",
        "max_uses",
        "max_uses_per_customer",
        "is_active",
    )
    list_filter = ("kind", "is_active")
    search_fields = ("code",)
    readonly_fields = ("uses",)

    def get_readonly_fields(self, request, obj=None):
        return ("code", "uses") if obj is not None else ("uses",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.pk = services.coupon_create(**form.cleaned_data).pk
            return
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.coupon_update(coupon=obj, **fields)
        except ValidationError as exc:  # uses counted past the new maximum since the form's check
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
