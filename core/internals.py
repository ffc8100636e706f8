"""The private Django and DRF internals the shop leans on, each in one place.

Each saves a query or a copy on a hot path, or reaches what no public API offers. Their
names start with an underscore upstream and may move in any release:
core/tests/test_internals.py pins every one, so an upgrade that breaks one fails there
first, with a clear name, instead of somewhere in a purchase.
"""

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest


def outermost_atomic(connection: BaseDatabaseWrapper) -> object | None:
    """The outermost `atomic` block open on `connection` (one per transaction), or None.

    The blocks a TestCase opens around each test are not the code's transactions: they are
    skipped, as Django's own `durable=True` check skips them.
    """
    for block in connection.atomic_blocks:
        if not getattr(block, "_from_testcase", False):
            return block
    return None


def evaluated_queryset(model: type[models.Model], objects: list) -> models.QuerySet:
    """A queryset already evaluated to `objects`, as prefetch_related leaves one."""
    queryset = model._default_manager.none()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True  # type: ignore[attr-defined]
    return queryset


def set_prefetched(instance: models.Model, relations: dict[str, models.QuerySet]) -> None:
    """Make `instance.<relation>.all()` answer these querysets without a query."""
    instance._prefetched_objects_cache = relations  # type: ignore[attr-defined]


def forget_related(instance: models.Model, name: str) -> None:
    """Drop the cached object of a forward or one-to-one relation: the next access reads it."""
    instance._state.fields_cache.pop(name, None)


def become(instance: models.Model, other: models.Model) -> None:
    """Make `instance` the saved row `other` is (the admin's object after a service saved)."""
    instance.pk, instance._state = other.pk, other._state


def django_request(request) -> HttpRequest:
    """The HttpRequest under a DRF Request (its body has Django's size limit)."""
    return request._request


def set_cached_property(instance: object, name: str, value) -> None:
    """Give a `cached_property` its value before anything computes it."""
    instance.__dict__[name] = value
