from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("Pending payment")
        PAID = "paid", _("Paid")
        PREPARING = "preparing", _("Preparing")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")
        REFUNDED = "refunded", _("Refunded")

    class Source(models.TextChoices):
        """What placed the order, and so at what price its lines sold."""

        CART = "cart", _("Cart purchase")
        FLASH_SALE = "flash_sale", _("Flash-sale claim")

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING_PAYMENT)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.CART)
    # total = subtotal - discount + shipping_price, kept by orders.checkout and checked by
    # the database.
    subtotal = models.DecimalField(max_digits=12, decimal_places=2)
    discount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    shipping_price = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    total = models.DecimalField(max_digits=12, decimal_places=2)
    coupon = models.ForeignKey(
        "delivery.Coupon", on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    coupon_code = models.CharField(max_length=40, blank=True)
    # Physical (non-event) lines: the order cannot be paid before its shipping is chosen.
    needs_shipping = models.BooleanField(default=False)
    shipping_method = models.ForeignKey(
        "delivery.ShippingMethod",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    # The method's kind and the address as they were chosen, whatever becomes of either.
    shipping_kind = models.CharField(max_length=10, blank=True)
    shipping_address = models.JSONField(default=dict, blank=True)
    carrier = models.CharField(max_length=20, blank=True)
    tracking_code = models.CharField(max_length=40, blank=True)
    shipped_emailed_at = models.DateTimeField(null=True, blank=True)
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
            models.CheckConstraint(
                condition=Q(total=F("subtotal") - F("discount") + F("shipping_price")),
                name="orders_order_total_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(discount__gte=0, discount__lte=F("subtotal"), shipping_price__gte=0),
                name="orders_order_parts_in_range",
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

    @property
    def tracking_url(self) -> str:
        """Where the customer follows the parcel (CARRIER_TRACKING_URLS), once shipped."""
        template = settings.CARRIER_TRACKING_URLS.get(self.carrier, "")
        return template.format(code=self.tracking_code) if self.tracking_code else ""

    @property
    def shipping_missing(self) -> bool:
        """Physical lines and no shipping chosen: not payable yet."""
        return self.needs_shipping and self.shipping_method_id is None

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
