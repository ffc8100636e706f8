"""The flash sale's clock: tests move it instead of sleeping until the next drop."""

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()
