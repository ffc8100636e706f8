"""One way to write a moment for programs: every REST answer, WebSocket frame and error body.

DRF's DateTimeField writes the shop's time zone with its offset (`2026-11-27T10:00:00-03:00`);
frames and error bodies use the same field, so one chat message has one `created_at` string
whether it arrives over HTTP or a socket.
"""

from datetime import datetime

from rest_framework.fields import DateTimeField

_FIELD = DateTimeField()


def moment(value: datetime | None) -> str | None:
    """`value` as the API writes it, or None."""
    return None if value is None else _FIELD.to_representation(value)


# Moments a person sets (a sale's first drop, a coupon's window) lie in these years: far
# outside them the zone database gives São Paulo's 19th-century offset in seconds
# (-03:06:28), which no ISO 8601 reader accepts.
YEARS = (2000, 2100)


def check_moment_year(value: datetime | None) -> datetime | None:
    """`value` if its year is within YEARS; a ValidationError otherwise."""
    from django.utils.translation import gettext
    from rest_framework.exceptions import ValidationError

    if value is not None and not (YEARS[0] <= value.year <= YEARS[1]):
        message = gettext("Give a date between %(first)s and %(last)s.")
        raise ValidationError(message % {"first": YEARS[0], "last": YEARS[1]})
    return value
