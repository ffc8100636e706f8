import secrets
from base64 import b32encode

from django.conf import settings
from django.db import models
from django.utils import timezone

from catalog.models import Event


def new_ticket_code() -> str:
    """120 random bits in 24 unambiguous upper-case characters: unguessable, easy to read out."""
    return b32encode(secrets.token_bytes(15)).decode()


class Ticket(models.Model):
    """The formal record of a purchase."""

    code = models.CharField(max_length=32, unique=True, default=new_ticket_code, editable=False)
    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT, related_name="ticket")
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tickets"
    )
    purchaser = models.EmailField(help_text="The customer's e-mail at purchase time")
    purchase_datetime = models.DateTimeField(default=timezone.now)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-purchase_datetime", "-id"]
        indexes = [
            models.Index(
                fields=["customer", "-purchase_datetime"], name="tickets_customer_date_idx"
            ),
            # The sweep of e-mails a broker outage left unsent (core/tasks.py).
            models.Index(
                fields=["purchase_datetime"],
                condition=models.Q(emailed_at=None),
                name="tickets_unsent_idx",
            ),
        ]

    def __str__(self):
        return self.code


def new_admission_code() -> str:
    """160 random bits in 32 upper-case base32 characters: unguessable, fits a QR code."""
    return b32encode(secrets.token_bytes(20)).decode()


class Admission(models.Model):
    """One person's entry to an event: one per unit of an event line of a paid order."""

    class Status(models.TextChoices):
        VALID = "valid"
        USED = "used"
        VOID = "void"

    code = models.CharField(max_length=40, unique=True, default=new_admission_code, editable=False)
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="admissions"
    )
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="admissions")
    holder = models.EmailField(help_text="The customer's e-mail when the order was paid")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.VALID)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="used", checked_in_at__isnull=False)
                | ~models.Q(status="used"),
                name="tickets_admission_used_has_check_in",
            )
        ]

    def __str__(self):
        return self.code


class CheckInAttempt(models.Model):
    """Every scan at the door, admitted or refused, for the door manager."""

    class Result(models.TextChoices):
        ADMITTED = "admitted"
        ALREADY_CHECKED_IN = "already_checked_in"
        VOID = "admission_void"
        UNKNOWN = "unknown_code"

    code = models.CharField(max_length=100, help_text="The code as scanned")
    admission = models.ForeignKey(
        Admission, null=True, blank=True, on_delete=models.CASCADE, related_name="attempts"
    )
    result = models.CharField(max_length=20, choices=Result.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.code}: {self.result}"


class EventAtTheDoor(Event):
    """An event as the door manager sees it (the admin's overview with its counts)."""

    class Meta:
        proxy = True
        verbose_name = "event at the door"
        verbose_name_plural = "events at the door"
