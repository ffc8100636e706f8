"""Brazilian CPF (11 digits, the last two check digits of the first nine) and phone numbers."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from localflavor.br.validators import BRCPFValidator


def normalize_cpf(value: str | None) -> str:
    """Drop the punctuation of a CPF typed as 529.982.247-25; keep anything else to reject it."""
    return (value or "").strip().replace(".", "").replace("-", "")


def is_valid_cpf(value: str) -> bool:
    """Check digits by django-localflavor's BRCPFValidator, on ASCII digits only (it would
    take other scripts' digits, which no CPF is written in)."""
    digits = normalize_cpf(value)
    if len(digits) != 11 or not (digits.isascii() and digits.isdigit()):
        return False
    try:
        BRCPFValidator()(digits)
    except ValidationError:
        return False
    return True


def validate_cpf(value: str) -> None:
    if not is_valid_cpf(value):
        raise ValidationError(_("Enter a valid CPF."), code="invalid_cpf")


class CPFField(models.CharField):
    """A CPF stored as its 11 digits; accepts the punctuated form on input."""

    default_validators = [validate_cpf]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 11)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_cpf(value) or None

    def formfield(self, **kwargs):
        return super().formfield(**{"max_length": 14, **kwargs})


def normalize_phone_field(value: str) -> str:
    """normalize_phone for a service's input: its error is the `phone` field's."""
    try:
        return normalize_phone(value)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.error_list}) from exc


def normalize_phone(value: str) -> str:
    """A Brazilian phone number (with its DDD, or +55...) in E.164 (+5511987654321), by
    Google's libphonenumber; ValidationError `invalid_phone` if it is none."""
    try:
        number = phonenumbers.parse(value, "BR")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("Enter a valid phone number with its DDD."), code="invalid_phone"
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number with its DDD."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
