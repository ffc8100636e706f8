"""Brazilian CPF: 11 digits, the last two being check digits of the first nine."""

from django.core.exceptions import ValidationError
from django.db import models


def normalize_cpf(value: str | None) -> str:
    """Drop the punctuation of a CPF typed as 529.982.247-25; keep anything else to reject it."""
    return (value or "").strip().replace(".", "").replace("-", "")


def _check_digit(digits: str) -> int:
    weight = len(digits) + 1
    remainder = sum(int(d) * (weight - i) for i, d in enumerate(digits)) * 10 % 11
    return 0 if remainder == 10 else remainder


def is_valid_cpf(value: str) -> bool:
    digits = normalize_cpf(value)
    if len(digits) != 11 or not (digits.isascii() and digits.isdigit()) or len(set(digits)) == 1:
        return False
    return _check_digit(digits[:9]) == int(digits[9]) and _check_digit(digits[:10]) == int(
        digits[10]
    )


def validate_cpf(value: str) -> None:
    if not is_valid_cpf(value):
        raise ValidationError("Enter a valid CPF.", code="invalid_cpf")


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
