from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from localflavor.br.br_states import STATE_CHOICES

MAX_ADDRESSES = 10
COUPON_CODE = r"^[A-Z0-9_-]{3,40}$"
CENT = Decimal("0.01")
SNAPSHOT_FIELDS = (
    "recipient_name",
    "cep",
    "street",
    "number",
    "complement",
    "district",
    "city",
    "state",
    "phone",
)


class Address(models.Model):
    """A delivery address of a customer's address book (guests' too)."""

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses"
    )
    recipient_name = models.CharField(max_length=150)
    cep = models.CharField("CEP", max_length=8, help_text="8 digits, shown 01310-100")
    street = models.CharField(max_length=200)
    number = models.CharField(max_length=20)
    complement = models.CharField(max_length=100, blank=True)
    district = models.CharField(max_length=100)
    city = models.CharField(max_length=100)
    state = models.CharField("UF", max_length=2, choices=STATE_CHOICES)
    phone = models.CharField(max_length=16, blank=True, help_text="E.164")
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_default", "id"]
        verbose_name_plural = "addresses"
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(is_default=True),
                name="delivery_address_one_default",
            ),
            models.CheckConstraint(
                condition=Q(cep__regex=r"^[0-9]{8}$"), name="delivery_address_cep_8_digits"
            ),
        ]

    def __str__(self):
        return f"{self.street}, {self.number} - {self.city}/{self.state}"

    def snapshot(self) -> dict[str, str]:
        """The address as plain fields: what an order keeps of it, what an export shows."""
        return {name: getattr(self, name) for name in SNAPSHOT_FIELDS}

    @property
    def cep_display(self) -> str:
        return f"{self.cep[:5]}-{self.cep[5:]}"


class ShippingMethod(models.Model):
    """A way an order reaches its customer: delivery to a list of states (all when empty),
    at a price, free above a goods value; or pickup at the store."""

    class Kind(models.TextChoices):
        DELIVERY = "delivery", _("Delivery")
        PICKUP = "pickup", _("Store pickup")

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DELIVERY)
    price = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    free_above = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Free when the goods (after the discount) reach this value; empty: never.",
    )
    states = models.JSONField(
        default=list, blank=True, help_text="UF codes it delivers to; empty: every state."
    )
    min_days = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(365)], help_text="Business days, at least"
    )
    max_days = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(365)], help_text="Business days, at most"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["price", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0), name="delivery_method_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(free_above__isnull=True) | Q(free_above__gte=0),
                name="delivery_method_free_above_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(max_days__gte=F("min_days")), name="delivery_method_days_in_order"
            ),
        ]

    def __str__(self):
        return self.name

    def serves(self, state: str | None) -> bool:
        """Whether it can take an order to an address in `state` (pickup needs none)."""
        if self.kind == self.Kind.PICKUP:
            return True
        return state is not None and (not self.states or state in self.states)

    def price_for(self, goods: Decimal) -> Decimal:
        """Its fee for goods worth `goods` (the subtotal less the discount)."""
        if self.free_above is not None and goods >= self.free_above:
            return Decimal("0.00")
        return self.price


class Coupon(models.Model):
    """A discount code: a percentage or an amount off the goods, within a validity window,
    above a minimum subtotal, used at most `max_uses` times and `max_uses_per_customer` by
    each customer. `uses` is counted by the orders that apply it, under its row lock."""

    class Kind(models.TextChoices):
        PERCENT = "percent", _("Percentage")
        AMOUNT = "amount", _("Amount")

    code = models.CharField(
        max_length=40,
        unique=True,
        validators=[RegexValidator(COUPON_CODE, _("Use 3 to 40 letters, digits, - or _."))],
        help_text="Kept in capitals; customers may type it in any case.",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERCENT)
    value = models.DecimalField(max_digits=10, decimal_places=2)
    min_subtotal = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    max_uses = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: no limit")
    max_uses_per_customer = models.PositiveIntegerField(
        null=True, blank=True, default=1, help_text="Empty: no limit"
    )
    uses = models.PositiveIntegerField(default=0, editable=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="delivery_coupon_value_positive"),
            # A discount never reaches the whole subtotal (an order is never free): under 100
            # percent (rounded down), or an amount below the minimum subtotal it asks for.
            models.CheckConstraint(
                condition=(Q(kind="percent") & Q(value__lt=100))
                | (Q(kind="amount") & Q(min_subtotal__gt=F("value"))),
                name="delivery_coupon_discount_below_subtotal",
                violation_error_message=(
                    _(
                        "A percentage must be below 100; an amount needs a minimum subtotal above it."
                    )
                ),
            ),
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(uses__lte=F("max_uses")),
                name="delivery_coupon_uses_within_max",
                violation_error_message=_("The maximum is below the uses already counted."),
            ),
            models.CheckConstraint(
                condition=Q(code__regex=COUPON_CODE), name="delivery_coupon_code_format"
            ),
        ]

    def __str__(self):
        return self.code

    def discount_for(self, subtotal: Decimal) -> Decimal:
        if self.kind == self.Kind.PERCENT:
            return (subtotal * self.value / 100).quantize(CENT, rounding=ROUND_DOWN)
        return self.value
