from datetime import datetime

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class Category(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class ProductQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Product(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    sku = models.CharField("SKU", max_length=64, unique=True)
    description = models.TextField(blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2)
    stock = models.IntegerField(default=0)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    is_active = models.BooleanField(default=True)
    image = models.ImageField(upload_to="products/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name"), "id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="catalog_product_price_positive"),
            models.CheckConstraint(
                condition=Q(stock__gte=0), name="catalog_product_stock_not_negative"
            ),
        ]
        # One index per filter and ordering the API offers (category and SKU are indexed by FK/unique).
        indexes = [
            models.Index(fields=["is_active", "category"], name="catalog_prod_active_cat_idx"),
            models.Index(fields=["price"], name="catalog_prod_price_idx"),
            models.Index(fields=["stock"], name="catalog_prod_stock_idx"),
            models.Index(Lower("name"), name="catalog_prod_lower_name_idx"),
            models.Index(fields=["created_at"], name="catalog_prod_created_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.sku})"

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    def sells(self, quantity: int, *, now: datetime) -> bool:
        """Whether `quantity` units can be bought at `now`: the product is active, is not an
        event that has started, and has the stock. The one rule behind the purchase and the
        cart's `available`; reads the event part, so fetch it with the product."""
        event = event_of(self)
        on_sale = self.is_active and (event is None or not event.has_started(now))
        return on_sale and self.stock >= quantity


class Event(models.Model):
    """The event part of a product that is an event (a show: a venue, a date). The
    product's stock is the remaining capacity, sold through the normal cart and purchase."""

    product = models.OneToOneField(
        Product, on_delete=models.CASCADE, primary_key=True, related_name="event"
    )
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    venue = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="catalog_event_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.product.name} at {self.venue}, {self.starts_at:%Y-%m-%d %H:%M}"

    def has_started(self, now) -> bool:
        return self.starts_at <= now


def event_of(product: Product) -> Event | None:
    """The product's event part, or None for an ordinary product."""
    return getattr(product, "event", None)  # a missing reverse one-to-one raises AttributeError
