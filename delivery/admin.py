from django.contrib import admin

from delivery.models import Address


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("customer", "recipient_name", "cep", "city", "state", "is_default")
    list_filter = ("state", "is_default")
    search_fields = ("customer__email", "recipient_name", "cep", "street", "city")
    raw_id_fields = ("customer",)
