from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", "Pending payment"
        PAID = "paid", "Paid"
        PREPARING = "preparing", "Preparing"
        SHIPPED = "shipped", "Shipped"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"
        EXPIRED = "expired", "Expired"
        REFUNDED = "refunded", "Refunded"

    class Source(models.TextChoices):
        """What placed the order, and so at what price its lines sold."""

        CART = "cart", "Cart purchase"
        FLASH_SALE = "flash_sale", "Flash-sale claim"

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING_PAYMENT)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.CART)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="When an order still awaiting payment expires."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Kept on a paid order when its buyer's account is erased: fiscal law requires the
    # buyer's name and CPF for FISCAL_RETENTION_YEARS, then they go too.
    buyer_name = models.CharField(max_length=301, blank=True)
    buyer_cpf = models.CharField(max_length=11, blank=True)
    fiscal_until = models.DateTimeField(null=True, blank=True)
    # Not a field: the lines and first event order_place wrote, for order_as_placed.
    placed: "tuple[list[OrderLine], OrderEvent]"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gte=0), name="orders_order_total_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="orders_customer_created_idx"),
            models.Index(fields=["status", "-created_at"], name="orders_status_created_idx"),
            models.Index(fields=["status", "expires_at"], name="orders_status_expires_idx"),
        ]

    def __str__(self):
        return f"Order #{self.pk} ({self.status})"

    def hold_over(self, now: datetime) -> bool:
        """Whether the time to pay has run out (the expiry task may not have run yet)."""
        return self.expires_at is not None and self.expires_at <= now

    def is_payable(self, now: datetime) -> bool:
        """Awaiting payment and still within its hold: the one rule that starting a payment
        and an approved payment's arrival (order_pay) both apply."""
        return self.status == self.Status.PENDING_PAYMENT and not self.hold_over(now)


class OrderLine(models.Model):
    """A bought product, with its name and price copied at purchase time."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    # PROTECT: a product with history is archived, never deleted from under its orders.
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="order_lines"
    )
    product_name = models.CharField(max_length=200)
    sku = models.CharField(max_length=64)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    quantity = models.PositiveIntegerField()
    line_total = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "product"], name="orders_line_unique_product"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="orders_line_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.product_name}"


class OrderEvent(models.Model):
    """One status change: the order's timeline."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=Order.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Order.Status.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status or '-'} -> {self.to_status}"
