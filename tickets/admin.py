from django.contrib import admin

from config.admin import ReadOnlyAdminMixin
from tickets.models import Ticket


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "purchaser", "amount", "purchase_datetime", "order", "emailed_at")
    search_fields = ("code", "purchaser")
    list_filter = ("purchase_datetime",)
    list_select_related = ("order",)
