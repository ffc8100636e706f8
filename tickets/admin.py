from django.contrib import admin
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.urls import path
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin, ReadOnlyTabularInline
from core.exceptions import ApplicationError
from orders.models import Order, OrderLine
from tickets.admissions import admission_check_in
from tickets.models import Admission, CheckInAttempt, EventAtTheDoor, Ticket


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

    def get_urls(self):
        door = path("door/", self.admin_site.admin_view(self.door), name="tickets_door")
        return [door, *super().get_urls()]

    def door(self, request):
        """The check-in page for the door, made for a phone: type or paste a code (a scanner
        that types works too); a large green or red answer. The same service as the API."""
        context = {**self.admin_site.each_context(request), "title": _("Door check-in")}
        if request.method == "POST" and request.POST.get("code", "").strip():
            try:
                context["admitted"] = admission_check_in(code=request.POST["code"], by=request.user)
            except ApplicationError as refusal:
                context["refusal"] = refusal
                if "checked_in_at" in refusal.extra:
                    context["checked_in_at"] = parse_datetime(refusal.extra["checked_in_at"])
        return render(request, "tickets/door.html", context)


@admin.register(CheckInAttempt)
class CheckInAttemptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every scan at the door, for the door manager."""

    list_display = ("at", "result", "code", "by", "admission")
    list_filter = ("result", "at")
    search_fields = ("code",)
    list_select_related = ("by", "admission")


@admin.register(EventAtTheDoor)
class EventAtTheDoorAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Each event's capacity, what is sold, held and left, and how many came in."""

    list_display = ("name", "starts_at", "venue", "capacity", "sold", "held", "left", "checked_in")
    list_select_related = ("product",)
    ordering = ("starts_at",)
    search_fields = ("product__name", "venue")

    def get_queryset(self, request):
        admissions = "product__admissions__status"
        held = (
            OrderLine.objects.filter(
                product=OuterRef("product"), order__status=Order.Status.PENDING_PAYMENT
            )
            .values("product")
            .annotate(units=Sum("quantity"))
            .values("units")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                sold_count=Count("product__admissions", filter=~Q(**{admissions: "void"})),
                checked_in_count=Count("product__admissions", filter=Q(**{admissions: "used"})),
                held_count=Coalesce(Subquery(held), 0),
            )
        )

    @admin.display(description=_("event"), ordering="product__name")
    def name(self, event):
        return event.product.name

    @admin.display(description=_("sold"))
    def sold(self, event):
        return event.sold_count

    @admin.display(description=_("awaiting payment"))
    def held(self, event):
        return event.held_count

    @admin.display(description=_("left"))
    def left(self, event):
        return event.product.stock

    @admin.display(description=_("capacity"))
    def capacity(self, event):
        return event.product.stock + event.held_count + event.sold_count

    @admin.display(description=_("checked in"))
    def checked_in(self, event):
        return event.checked_in_count
