from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from catalog import services
from catalog.models import Category, Event, Product
from core.internals import become


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "product_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(product_count=Count("products"))

    @admin.display(description=_("Products"), ordering="product_count")
    def product_count(self, category: Category) -> int:
        return category.product_count


class StockLevelFilter(admin.SimpleListFilter):
    title = "stock"
    parameter_name = "stock_level"

    def lookups(self, request, model_admin):
        return [
            ("out", "Out of stock"),
            ("low", f"Low (1-{settings.LOW_STOCK_THRESHOLD})"),
            ("ok", "In stock"),
        ]

    def queryset(self, request, queryset):
        threshold = settings.LOW_STOCK_THRESHOLD
        return {
            "out": queryset.filter(stock=0),
            "low": queryset.filter(stock__gt=0, stock__lte=threshold),
            "ok": queryset.filter(stock__gt=threshold),
        }.get(self.value(), queryset)


class EventInline(admin.StackedInline):
    """Make a product an event (a show: a venue, a date; its stock is the capacity)."""

    model = Event
    max_num = 1
    extra = 0
    verbose_name = "event (the stock is its capacity)"


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "sku", "category", "price", "stock", "is_active", "updated_at")
    list_editable = ("price", "stock")
    list_filter = ("category", "is_active", StockLevelFilter)
    list_select_related = ("category",)
    search_fields = ("name", "sku")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")
    actions = ("archive", "reactivate")
    inlines = (EventInline,)
    fields = (
        "name",
        "slug",
        "sku",
        "category",
        "description",
        "price",
        "stock",
        "is_active",
        "image",
        "created_at",
        "updated_at",
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "stock":
            # Post back the stock the page showed, so saving can apply only the difference.
            kwargs["show_hidden_initial"] = True
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @staticmethod
    def _stock_shown(form) -> int | None:
        try:
            return form.fields["stock"].to_python(form.data.get(form.add_initial_prefix("stock")))
        except ValidationError:
            return form.initial.get("stock")

    def save_model(self, request, obj, form, change):
        if not change:
            # Created by the service like every product; the admin then reads it back as `obj`.
            created = services.product_create(**form.cleaned_data)
            become(obj, created)
            return
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        # The stock typed in is applied as a change from what the form showed, so units
        # sold while the page was open are not put back.
        services.product_update(product=obj, stock_seen=self._stock_shown(form), **changed)

    def save_formset(self, request, form, formset, change):
        """The event part is written by the catalog services too, not by the formset."""
        if formset.model is not Event:
            return super().save_formset(request, form, formset, change)
        # What the admin's history message reads (formset.save() would set them).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for event_form in formset.forms:
            existing = event_form.instance.pk is not None and not event_form.instance._state.adding
            if event_form in formset.deleted_forms:
                services.product_update(product=form.instance, event=None)
                formset.deleted_objects.append(event_form.instance)
            elif event_form.has_changed():
                part = {
                    name: event_form.cleaned_data[name]
                    for name in ("starts_at", "ends_at", "venue")
                }
                product = services.product_update(product=form.instance, event=part)
                if existing:
                    formset.changed_objects.append((product.event, event_form.changed_data))
                else:
                    formset.new_objects.append(product.event)

    @admin.action(description=_("Archive selected products (hide from the shop)"))
    def archive(self, request, queryset):
        for product in queryset:
            services.product_set_active(product=product, active=False)
        messages.success(request, f"Archived {len(queryset)} product(s).")

    @admin.action(description=_("Re-activate selected products"))
    def reactivate(self, request, queryset):
        for product in queryset:
            services.product_set_active(product=product, active=True)
        messages.success(request, f"Re-activated {len(queryset)} product(s).")
