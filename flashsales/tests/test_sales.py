"""Flash sales: stock taken at creation, drops, claims and their orders, units given back."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.tests.factories import UserFactory
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from flashsales.models import Claim, FlashSale
from flashsales.services import claim_create, flash_sales_close
from orders.models import Order
from orders.services import order_cancel, order_pay, orders_expire
from testing.clients import client_for

pytestmark = pytest.mark.django_db


def stock(product_id):
    return Product.objects.get(pk=product_id).stock


def fresh(sale):
    return FlashSale.objects.get(pk=sale.pk)


def claim(client, sale):
    return client.post(f"/api/flash-sales/{sale.pk}/claims")


def test_creating_a_sale_takes_its_units_from_the_stock(admin_client, sale_clock):
    product = ProductFactory(stock=2_500)
    body = {"product_id": product.pk, "first_drop_at": sale_clock().isoformat()}
    response = admin_client.post("/api/flash-sales", body)
    assert response.status_code == 201, response.content
    sale = response.json()
    assert (sale["price"], sale["units_per_drop"], sale["drops"]) == ("1.00", 100, 24)
    assert (sale["per_customer_limit"], sale["hold_minutes"]) == (1, 10)
    assert (sale["status"], sale["current_drop"], sale["remaining"]) == ("open", 0, 100)
    assert sale["product"] == {"id": product.pk, "name": product.name}
    assert stock(product.pk) == 100

    short = admin_client.post("/api/flash-sales", body)  # 100 left, 2,400 needed
    assert short.status_code == 400 and short.json()["code"] == "insufficient_stock"
    assert stock(product.pk) == 100


def test_a_sale_whose_every_drop_is_over_is_refused_and_takes_nothing(admin_client, sale_clock):
    product = ProductFactory(stock=10)
    ended = sale_clock() - timedelta(hours=2, seconds=1)  # 2 hourly drops, the last one over
    body = {
        "product_id": product.pk,
        "first_drop_at": ended.isoformat(),
        "units_per_drop": 5,
        "drops": 2,
    }
    refused = admin_client.post("/api/flash-sales", body)
    assert refused.status_code == 400 and refused.json()["code"] == "sale_in_the_past"
    assert stock(product.pk) == 10 and not FlashSale.objects.exists()
    body["first_drop_at"] = (ended + timedelta(seconds=2)).isoformat()  # the last drop is open
    created = admin_client.post("/api/flash-sales", body)
    assert created.status_code == 201 and created.json()["status"] == "open"
    moved = admin_client.patch(
        f"/api/flash-sales/{created.json()['id']}",
        {"first_drop_at": ended.isoformat()},
        content_type="application/json",
    )
    assert moved.status_code == 400 and moved.json()["code"] == "sale_in_the_past"
    assert fresh(FlashSale(pk=created.json()["id"])).first_drop_at > ended


def test_only_administrators_write_sales_and_anyone_reads_them(
    customer_client, anon_client, make_sale
):
    sale = make_sale()
    assert anon_client.get("/api/flash-sales").json()["results"][0]["id"] == sale.pk
    assert anon_client.get(f"/api/flash-sales/{sale.pk}").status_code == 200
    body = {"product_id": sale.product_id, "first_drop_at": "2030-01-01T00:00:00Z"}
    assert customer_client.post("/api/flash-sales", body).status_code == 403
    assert anon_client.post("/api/flash-sales", body).status_code == 401
    assert customer_client.delete(f"/api/flash-sales/{sale.pk}").status_code == 403


def test_a_claim_holds_one_unit_on_an_order_at_the_sale_price(customer, customer_client, make_sale):
    sale = make_sale(hold_minutes=10)
    response = claim(customer_client, sale)
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"claim_id", "order_id", "expires_at"}
    order = Order.objects.get(pk=body["order_id"])
    assert (order.status, order.source, order.total) == (
        "pending_payment",
        "flash_sale",
        Decimal("1.00"),
    )
    line = order.lines.get()
    assert (line.product_id, line.quantity, line.unit_price) == (
        sale.product_id,
        1,
        Decimal("1.00"),
    )
    assert timedelta(minutes=9) < order.expires_at - order.created_at <= timedelta(minutes=10)
    assert customer_client.get(f"/api/flash-sales/{sale.pk}").json()["remaining"] == 4
    mine = customer_client.get(f"/api/flash-sales/{sale.pk}/claims").json()
    assert [(c["id"], c["status"], c["drop"]) for c in mine] == [(body["claim_id"], "held", 0)]
    assert stock(sale.product_id) == 0  # the sale's units left the stock when it was created


def test_who_may_claim(anon_client, admin_client, make_sale):
    sale = make_sale()
    assert claim(anon_client, sale).status_code == 401
    assert claim(admin_client, sale).status_code == 403
    assert admin_client.post("/api/flash-sales/999999/claims").status_code == 403
    assert claim(client_for(UserFactory()), FlashSale(pk=10**6)).status_code == 404


def test_one_unit_per_customer_per_drop_and_again_at_the_next_drop(
    customer_client, make_sale, sale_clock
):
    sale = make_sale()
    assert claim(customer_client, sale).status_code == 201
    again = claim(customer_client, sale)
    assert again.status_code == 409 and again.json()["code"] == "limit_reached"
    sale_clock.move(hours=1)
    assert claim(customer_client, sale).status_code == 201


def test_not_open_before_the_first_drop_and_ended_after_the_last(
    customer_client, make_sale, sale_clock
):
    sale = make_sale(first_drop_at=sale_clock() + timedelta(minutes=5), drops=2)
    early = claim(customer_client, sale)
    assert early.status_code == 409 and early.json()["code"] == "not_open"
    assert customer_client.get(f"/api/flash-sales/{sale.pk}").json()["status"] == "scheduled"
    sale_clock.move(minutes=5)  # the very instant the first drop opens
    assert claim(customer_client, sale).status_code == 201
    sale_clock.move(minutes=120)  # the very instant the last drop's hour is over
    late = claim(client_for(UserFactory()), sale)
    assert late.status_code == 409 and late.json()["code"] == "sale_ended"
    assert customer_client.get(f"/api/flash-sales/{sale.pk}").json()["status"] == "ended"


def test_sold_out_until_the_next_drop_which_carries_unsold_and_given_back_units(
    make_sale, sale_clock
):
    sale = make_sale(units_per_drop=3, drops=3)
    customers = UserFactory.create_batch(5)
    claims = [claim_create(sale_id=sale.pk, customer=c) for c in customers[:3]]
    with pytest.raises(Exception) as refused:
        claim_create(sale_id=sale.pk, customer=customers[3])
    assert refused.value.code == "sold_out"
    assert fresh(sale).status(sale_clock()) == "sold_out"
    order_cancel(order=claims[0].order, by=customers[0])  # a unit comes back at once
    assert fresh(sale).remaining(sale_clock()) == 1
    assert Claim.objects.get(pk=claims[0].pk).status == "cancelled"
    claim_create(sale_id=sale.pk, customer=customers[3])
    sale_clock.move(hours=1)  # drop 1 releases 3 more
    assert fresh(sale).remaining(sale_clock()) == 3
    Order.objects.filter(pk=claims[1].order_id).update(expires_at=timezone.now())
    assert orders_expire() == 1
    assert fresh(sale).remaining(sale_clock()) == 4  # the expired hold, carried over
    assert stock(sale.product_id) == 0


def test_a_paid_claim_stays_sold_and_the_sale_closes_giving_back_the_rest(make_sale, sale_clock):
    sale = make_sale(units_per_drop=5, drops=2)
    buyer, holder = UserFactory(), UserFactory()
    paid = claim_create(sale_id=sale.pk, customer=buyer)
    held = claim_create(sale_id=sale.pk, customer=holder)
    assert order_pay(order=paid.order)
    assert Claim.objects.get(pk=paid.pk).status == "paid"
    sale_clock.move(hours=2)
    assert flash_sales_close(now=sale_clock()) == 1
    assert flash_sales_close(now=sale_clock()) == 0
    assert stock(sale.product_id) == 8  # 10 units, one paid, one still held
    order_cancel(order=held.order, by=holder)  # after the close: back to the stock itself
    assert stock(sale.product_id) == 9
    assert fresh(sale).units_taken == 2


def test_a_sale_with_claims_cannot_be_deleted_or_replanned(admin_client, make_sale):
    sale = make_sale()
    claim_create(sale_id=sale.pk, customer=UserFactory())
    response = admin_client.delete(f"/api/flash-sales/{sale.pk}")
    assert response.status_code == 409 and response.json()["code"] == "sale_has_claims"
    replan = admin_client.patch(f"/api/flash-sales/{sale.pk}", {"units_per_drop": 10})
    assert replan.status_code == 409
    assert admin_client.patch(f"/api/flash-sales/{sale.pk}", {"hold_minutes": 5}).status_code == 200
    untouched = make_sale()
    assert admin_client.delete(f"/api/flash-sales/{untouched.pk}").status_code == 204
    assert stock(untouched.product_id) == 15


def test_replanning_an_unclaimed_sale_moves_the_difference_in_stock(admin_client, make_sale):
    sale = make_sale(stock=20)  # 15 in the sale, 5 left
    response = admin_client.patch(f"/api/flash-sales/{sale.pk}", {"units_per_drop": 6})
    assert response.status_code == 200, response.content
    assert stock(sale.product_id) == 2
    too_many = admin_client.patch(f"/api/flash-sales/{sale.pk}", {"units_per_drop": 100})
    assert too_many.status_code == 400
    assert stock(sale.product_id) == 2


def test_the_campaign_command_creates_24_hourly_drops_in_the_shop_time_zone():
    product = ProductFactory(sku="IPHONE-TEST", stock=2_400)
    call_command(
        "create_flash_sale", "--product", "IPHONE-TEST", "--first-drop", "2030-11-27T00:00"
    )
    sale = FlashSale.objects.get()
    assert (sale.drops, sale.units_per_drop, sale.price) == (24, 100, Decimal("1.00"))
    assert sale.first_drop_at.isoformat() == "2030-11-27T03:00:00+00:00"  # midnight in São Paulo
    assert stock(product.pk) == 0


def test_a_sale_id_is_written_one_way(make_sale, customer_client):
    """`/01/claims` would reach Django's claim path beside the lean handler's canonical one,
    each with its own rates: twice the claim budget (audit L4)."""
    sale = make_sale()
    assert customer_client.post(f"/api/flash-sales/0{sale.pk}/claims").status_code == 404
    assert customer_client.post(f"/api/flash-sales/{sale.pk}/claims").status_code == 201


def test_a_sale_deleted_meanwhile_is_not_found_not_a_server_error(make_sale):
    from flashsales.errors import SaleNotFound
    from flashsales.services import flash_sale_delete, flash_sale_update

    read = make_sale()
    FlashSale.objects.filter(pk=read.pk).delete()  # another admin, after this one's read
    with pytest.raises(SaleNotFound):
        flash_sale_update(sale=read, units_per_drop=2)
    with pytest.raises(SaleNotFound):
        flash_sale_delete(sale=read)


def test_closing_skips_a_sale_deleted_while_it_runs(make_sale, sale_clock, monkeypatch):
    from flashsales import services

    make_sale(), make_sale()
    sale_clock.move(hours=4)
    announce = services._announce

    def delete_the_others(sale_id, event):  # the other sale goes after the loop read it
        FlashSale.objects.exclude(pk=sale_id).delete()
        announce(sale_id, event)

    monkeypatch.setattr(services, "_announce", delete_the_others)
    assert flash_sales_close(now=sale_clock()) == 1
