from django.contrib import admin

from config.admin import ReadOnlyAdminMixin, ReadOnlyTabularInline
from tickets.models import Admission, CheckInAttempt, Ticket


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "purchaser", "amount", "purchase_datetime", "order", "emailed_at")
    search_fields = ("code", "purchaser")
    list_filter = ("purchase_datetime",)
    list_select_related = ("order",)


class CheckInAttemptInline(ReadOnlyTabularInline):
    model = CheckInAttempt
    fields = ("at", "result", "by", "code")


@admin.register(Admission)
class AdmissionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Admissions are issued and checked in by the services; staff search and look."""

    list_display = ("code", "holder", "product", "status", "checked_in_at", "order")
    search_fields = ("code", "holder")
    list_filter = ("status", "product")
    list_select_related = ("product", "order")
    inlines = (CheckInAttemptInline,)


@admin.register(CheckInAttempt)
class CheckInAttemptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every scan at the door, for the door manager."""

    list_display = ("at", "result", "code", "by", "admission")
    list_filter = ("result", "at")
    search_fields = ("code",)
    list_select_related = ("by", "admission")
