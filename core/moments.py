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
