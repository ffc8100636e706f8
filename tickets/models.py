import secrets
from base64 import b32encode

from django.conf import settings
from django.db import models
from django.utils import timezone


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
            )
        ]

    def __str__(self):
        return self.code
