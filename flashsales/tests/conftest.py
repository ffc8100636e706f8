from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from catalog.tests.factories import ProductFactory
from flashsales import clock
from flashsales.services import flash_sale_create


class Clock:
    """The flash sale's clock, moved by tests instead of sleeping until the next drop."""

    def __init__(self, start: datetime):
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def move(self, **delta) -> None:
        self.moment += timedelta(**delta)


@pytest.fixture
def sale_clock(monkeypatch):
    fake = Clock(timezone.now().replace(microsecond=0))
    monkeypatch.setattr(clock, "now", fake)
    return fake


@pytest.fixture
def make_sale(sale_clock):
    """A sale whose first drop opened a minute ago on the test clock (unless told otherwise)."""

    def make(stock=None, **options):
        options.setdefault("units_per_drop", 5)
        options.setdefault("drops", 3)
        options.setdefault("first_drop_at", sale_clock() - timedelta(minutes=1))
        total = options["units_per_drop"] * options["drops"]
        product = options.pop("product", None) or ProductFactory(
            price="7299.00", stock=total if stock is None else stock
        )
        return flash_sale_create(product=product, **options)

    return make
