"""GET /metrics: Prometheus text with requests, queries and the business counters, for the
internal network or the metrics token only."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.django_db


def samples(response) -> dict:
    text = response.content.decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_count_requests_queries_and_orders(
    client, customer_client, customer, django_capture_on_commit_callbacks
):
    from carts.services import cart_get_for_customer, cart_item_add
    from catalog.tests.factories import ProductFactory

    before = samples(client.get("/metrics"))
    product = ProductFactory(stock=5)
    cart = cart_get_for_customer(customer=customer)
    cart_item_add(cart=cart, product_id=product.pk, quantity=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert customer_client.post(f"/api/carts/{cart.pk}/purchase").status_code == 201
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    after = samples(response)
    placed = "shop_orders_placed_total"
    assert value(after, placed, source="cart") == value(before, placed, source="cart") + 1
    requests = [key for key in after if key[0] == "django_http_requests_total_by_method_total"]
    assert requests
    assert any(key[0] == "django_db_execute_total" for key in after)


def test_metrics_are_refused_through_a_proxy_or_from_outside(client, settings):
    settings.METRICS_TOKEN = "s3cret-metrics-token"
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="200.160.2.3").status_code == 404
    wrong = client.get("/metrics", REMOTE_ADDR="200.160.2.3", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 404
    right = client.get(
        "/metrics",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        HTTP_AUTHORIZATION="Bearer s3cret-metrics-token",
    )
    assert right.status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200  # a pod network


def test_flash_sale_claims_and_the_gate_state_are_exported(client, customer_client, use_redis):
    from datetime import timedelta

    from django.utils import timezone

    from catalog.tests.factories import ProductFactory
    from flashsales.services import flash_sale_create

    sale = flash_sale_create(
        product=ProductFactory(stock=3),
        units_per_drop=1,
        drops=3,
        first_drop_at=timezone.now() - timedelta(minutes=1),
    )
    before = samples(client.get("/metrics"))
    assert customer_client.post(f"/api/flash-sales/{sale.pk}/claims").status_code == 201
    assert customer_client.post(f"/api/flash-sales/{sale.pk}/claims").status_code == 409
    after = samples(client.get("/metrics"))
    claims = "shop_flash_sale_claims_total"
    assert value(after, claims, result="admitted") == value(before, claims, result="admitted") + 1
    refused = sum(
        v
        for (name, labels), v in after.items()
        if name == claims and labels != (("result", "admitted"),)
    )
    assert (
        refused
        == sum(
            v
            for (name, labels), v in before.items()
            if name == claims and labels != (("result", "admitted"),)
        )
        + 1
    )
    sale_label = str(sale.pk)
    assert value(after, "shop_flash_sale_units_taken", sale=sale_label) == 1
    assert value(after, "shop_flash_sale_units_released", sale=sale_label) == 1
    assert value(after, "shop_flash_sale_gate_taken", sale=sale_label) == 1
