from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Payment(models.Model):
    """One attempt to pay an order, by Pix or card, at one provider.

    Keeps what the provider said and nothing sensitive: a card is its brand, last four
    digits and expiry; numbers and CVVs never reach the shop.
    """

    class Method(models.TextChoices):
        PIX = "pix", _("Pix")
        CARD = "card", _("Card")

    class Status(models.TextChoices):
        FAILED = "failed", _("Provider unreachable")  # never reached the provider; retry may
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=8, choices=Method.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    provider = models.CharField(max_length=20)
    # Sent to the provider as its idempotency key, the same on every retry of this payment.
    provider_key = models.CharField(max_length=64, unique=True)
    provider_payment_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    status_detail = models.CharField(max_length=64, blank=True)
    installments = models.PositiveSmallIntegerField(default=1)
    card_brand = models.CharField(max_length=20, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    card_exp_month = models.PositiveSmallIntegerField(null=True, blank=True)
    card_exp_year = models.PositiveSmallIntegerField(null=True, blank=True)
    action_url = models.CharField(max_length=300, blank=True, help_text="3-D Secure challenge")
    pix_txid = models.CharField(max_length=35, blank=True)
    pix_copy_paste = models.TextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # Approved for an order that can no longer be paid (expired, cancelled, paid otherwise).
    refund_due = models.BooleanField(default=False)
    confirmation_emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_payment_id"],
                condition=~Q(provider_payment_id=""),
                name="payments_provider_payment_unique",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["order", "status"], name="payments_order_status_idx"),
            # The sweep of confirmations a broker outage left unsent (core/tasks.py).
            models.Index(
                fields=["updated_at"],
                name="payments_unconfirmed_idx",
                condition=models.Q(status="approved", confirmation_emailed_at=None),
            ),
        ]

    def __str__(self):
        return f"Payment #{self.pk} {self.method} {self.status}"


class PaymentLog(models.Model):
    """Append-only record of every request, answer and status change of a payment."""

    class Kind(models.TextChoices):
        REQUEST = "request", _("Request to provider")
        RESPONSE = "response", _("Provider answer")
        ERROR = "error", _("Provider error")
        WEBHOOK = "webhook", _("Webhook")
        STATUS = "status", _("Status change")
        REFUND = "refund", _("Refund")

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="log")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=12, blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.kind} {self.status}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("The payment log is append-only.")
        super().save(*args, **kwargs)


class WebhookEvent(models.Model):
    """A provider notification already handled: a redelivery of it changes nothing."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=100)
    payment = models.ForeignKey(
        Payment, on_delete=models.CASCADE, null=True, blank=True, related_name="webhooks"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="payments_webhook_once")
        ]

    def __str__(self):
        return f"{self.provider}:{self.event_id}"


class SandboxCard(models.Model):
    """The sandbox provider's card token: what a browser SDK would hand the shop.

    Keeps the outcome the test card stands for, never the number or CVV.
    """

    token = models.CharField(max_length=64, unique=True)
    brand = models.CharField(max_length=20)
    last4 = models.CharField(max_length=4)
    exp_month = models.PositiveSmallIntegerField()
    exp_year = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=40)
    used = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.brand} •••• {self.last4}"


class SandboxCharge(models.Model):
    """A charge as the sandbox provider itself records it: its side of the truth."""

    charge_id = models.CharField(max_length=64, unique=True)
    idempotency_key = models.CharField(max_length=64, unique=True)
    method = models.CharField(max_length=8)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=12)
    status_detail = models.CharField(max_length=64, blank=True)
    card = models.ForeignKey(SandboxCard, on_delete=models.PROTECT, null=True, blank=True)
    pix_txid = models.CharField(max_length=35, blank=True)
    pix_key = models.CharField(max_length=77, blank=True, help_text="The receiver's Pix key")
    pix_copy_paste = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.charge_id} {self.status}"
