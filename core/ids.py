"""Ids that come from URLs and query strings.

Django range-checks integer lookups on a model's own id, but not lookups through a foreign
key (`product_id=...`, `category_id=...`): a 20-digit number there overflows the database
integer and would be a 500. Parse such ids here first.
"""

from typing import TypeVar

from django.db.models import Model, QuerySet

from core.exceptions import NotFound

M = TypeVar("M", bound=Model)
MAX_ID = 2**63 - 1  # a BigAutoField on every supported database


def parse_database_id(value: str) -> int | None:
    """Return the id as an int, or None when it is not one the database could hold.

    An id is written one way: `01` is not 1, so no second URL of a resource escapes what
    the first one is held to (the flash-sale claim's lean handler and its rates).
    """
    if not (value.isascii() and value.isdigit()) or value.startswith("0"):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def get_by_id_or_404(rows: QuerySet[M], raw_id: str) -> M:
    """The row of `rows` (what the caller may see) with the URL's id, else 404: the one way
    an API view without DRF's `get_object()` fetches what a caller owns."""
    row = rows.filter(pk=parse_database_id(raw_id) or 0).first()
    if row is None:
        raise NotFound()
    return row
