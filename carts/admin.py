from django.contrib import admin

from carts.models import Cart, CartItem
from core.admin import ReadOnlyAdminMixin, ReadOnlyTabularInline


class CartItemInline(ReadOnlyTabularInline):
    model = CartItem
    fields = ("product", "quantity", "added_at")


@admin.register(Cart)
class CartAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Carts belong to their customers."""

    list_display = ("id", "customer", "updated_at")
    search_fields = ("customer__email",)
    list_select_related = ("customer",)
    inlines = (CartItemInline,)
