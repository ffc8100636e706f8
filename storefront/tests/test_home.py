"""`GET /`: the home page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.tests.factories import ProductFactory
from flashsales.services import flash_sale_create

pytestmark = pytest.mark.django_db


def test_the_home_page_links_everywhere_and_shows_demo_logins_only_when_embedded(client, settings):
    settings.EMBEDDED = True
    page = client.get("/").content.decode()
    for link in ('href="/api/docs"', 'href="/admin/"', 'href="/chat/"'):
        assert link in page
    assert "maria@shop.localhost" in page
    settings.EMBEDDED = False
    assert "maria@shop.localhost" not in client.get("/").content.decode()


def test_the_home_page_links_the_flash_sale_once_one_exists(client):
    assert 'id="flash-sale"' not in client.get("/").content.decode()
    sale = flash_sale_create(
        product=ProductFactory(stock=10),
        first_drop_at=timezone.now() - timedelta(minutes=1),
        units_per_drop=5,
        drops=2,
    )
    assert f'href="/flash-sales/{sale.pk}"' in client.get("/").content.decode()


def test_the_home_page_features_the_open_sale_else_the_next_one_never_an_ended_one(client):
    from flashsales.services import flash_sales_close

    now = timezone.now()

    def sale(start, drops=2):
        return flash_sale_create(
            product=ProductFactory(stock=10), first_drop_at=start, units_per_drop=5, drops=drops
        )

    over = sale(now - timedelta(minutes=119), drops=2)  # its last drop ends in a minute
    later = sale(now + timedelta(days=1))
    assert f'href="/flash-sales/{over.pk}"' in client.get("/").content.decode()
    over.first_drop_at = now - timedelta(hours=3)
    over.save(update_fields=["first_drop_at"])
    flash_sales_close(now=now)
    assert f'href="/flash-sales/{later.pk}"' in client.get("/").content.decode()
    opened = sale(now - timedelta(minutes=1))
    assert f'href="/flash-sales/{opened.pk}"' in client.get("/").content.decode()
