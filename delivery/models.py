from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from localflavor.br.br_states import STATE_CHOICES

MAX_ADDRESSES = 10


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

    @property
    def cep_display(self) -> str:
        return f"{self.cep[:5]}-{self.cep[5:]}"
