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
