from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q


@dataclass(frozen=True)
class SaleFigures:
    """A sale's live figures at one instant: what the API, the socket, the page, the admin
    and the demo show, from FlashSale.figures and nowhere else."""

    status: str
    current_drop: int | None
    remaining: int
    next_drop_at: datetime | None


class FlashSale(models.Model):
    """Units of one product sold at a fixed price in hourly drops.

    Creating the sale takes all its units from the product's stock. Drop k (0-based) opens
    at first_drop_at + k * interval and releases units_per_drop more; unclaimed and
    given-back units stay on sale until the end, when what is left goes back to the stock.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled"
        OPEN = "open"
        SOLD_OUT = "sold_out"
        ENDED = "ended"

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="flash_sales"
    )
    price = models.DecimalField(max_digits=12, decimal_places=2, default="1.00")
    units_per_drop = models.PositiveIntegerField(default=100)
    drops = models.PositiveIntegerField(default=24)
    first_drop_at = models.DateTimeField()
    drop_interval_minutes = models.PositiveIntegerField(default=60)
    per_customer_limit = models.PositiveSmallIntegerField(default=1)
    hold_minutes = models.PositiveIntegerField(default=10)
    # Counters written only under this row's lock by flashsales.services.
    units_released = models.PositiveIntegerField(default=0, help_text="by the drops opened so far")
    units_taken = models.PositiveIntegerField(default=0, help_text="held or paid by claims")
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the unsold units went back to the stock."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["first_drop_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(units_taken__lte=F("units_released")),
                name="flashsale_taken_within_released",
            ),
            models.CheckConstraint(
                condition=Q(units_released__lte=F("units_per_drop") * F("drops")),
                name="flashsale_released_within_total",
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="flashsale_price_positive"),
            models.CheckConstraint(
                condition=Q(
                    units_per_drop__gte=1,
                    drops__gte=1,
                    drop_interval_minutes__gte=1,
                    per_customer_limit__gte=1,
                    hold_minutes__gte=1,
                ),
                name="flashsale_sizes_positive",
            ),
        ]

    def __str__(self):
        return f"{self.product} at {self.price} ({self.drops} x {self.units_per_drop})"

    @property
    def units_total(self) -> int:
        return self.units_per_drop * self.drops

    @property
    def interval(self) -> timedelta:
        return timedelta(minutes=self.drop_interval_minutes)

    @property
    def ends_at(self) -> datetime:
        return self.first_drop_at + self.drops * self.interval

    def drop_at(self, index: int) -> datetime:
        return self.first_drop_at + index * self.interval

    def current_drop(self, now: datetime) -> int | None:
        """The drop open at `now` (0-based), or None before the first and after the last."""
        if now < self.first_drop_at or now >= self.ends_at:
            return None
        return int((now - self.first_drop_at) / self.interval)

    def released_by(self, now: datetime) -> int:
        """Units the drops opened by `now` have released in all."""
        if now < self.first_drop_at:
            return 0
        current = self.current_drop(now)
        return self.units_total if current is None else self.units_per_drop * (current + 1)

    def remaining(self, now: datetime) -> int:
        """Units a customer could claim at `now`."""
        if self.current_drop(now) is None or self.closed_at is not None:
            return 0
        return max(0, self.released_by(now) - self.units_taken)

    def status(self, now: datetime) -> str:
        if now < self.first_drop_at:
            return self.Status.SCHEDULED
        if now >= self.ends_at or self.closed_at is not None:
            return self.Status.ENDED
        return self.Status.OPEN if self.remaining(now) > 0 else self.Status.SOLD_OUT

    def next_drop_at(self, now: datetime) -> datetime | None:
        if now < self.first_drop_at:
            return self.first_drop_at
        current = self.current_drop(now)
        if current is None or current + 1 >= self.drops:
            return None
        return self.drop_at(current + 1)

    def figures(self, now: datetime) -> SaleFigures:
        return SaleFigures(
            status=self.status(now),
            current_drop=self.current_drop(now),
            remaining=self.remaining(now),
            next_drop_at=self.next_drop_at(now),
        )


class Claim(models.Model):
    """One unit of a sale held for a customer on an order awaiting payment."""

    class Status(models.TextChoices):
        HELD = "held"
        PAID = "paid"
        EXPIRED = "expired"
        CANCELLED = "cancelled"

    sale = models.ForeignKey(FlashSale, on_delete=models.PROTECT, related_name="claims")
    drop = models.PositiveIntegerField()
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="flash_sale_claims"
    )
    # The customer's n-th claim in this drop: unique, so no customer passes the limit.
    slot = models.PositiveSmallIntegerField()
    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, related_name="flash_sale_claim"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sale", "drop", "customer", "slot"], name="flashsale_claim_one_per_slot"
            ),
            models.CheckConstraint(condition=Q(slot__gte=1), name="flashsale_claim_slot_positive"),
        ]
        indexes = [
            models.Index(fields=["sale", "customer", "drop"], name="flashsale_claim_customer_idx"),
            models.Index(fields=["sale", "status"], name="flashsale_claim_status_idx"),
        ]

    def __str__(self):
        return f"Claim #{self.pk} of sale {self.sale_id} ({self.status})"
