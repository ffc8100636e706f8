from django.contrib import admin

from tickets.models import Ticket


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("code", "purchaser", "amount", "purchase_datetime", "order", "emailed_at")
    search_fields = ("code", "purchaser")
    list_filter = ("purchase_datetime",)
    list_select_related = ("order",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
