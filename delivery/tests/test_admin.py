"""The back office: methods with their states ticked, coupons whose uses no form writes, and
the address book on the customer's page."""

import pytest

from delivery.models import Address, Coupon, ShippingMethod

pytestmark = pytest.mark.django_db


def test_staff_add_a_method_ticking_its_states(staff_browser):
    answer = staff_browser.post(
        "/admin/delivery/shippingmethod/add/",
        {
            "name": "SEDEX",
            "kind": "delivery",
            "price": "39.90",
            "states": ["SP", "RJ"],
            "min_days": 1,
            "max_days": 3,
            "is_active": "on",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert ShippingMethod.objects.get().states == ["RJ", "SP"]
    listing = staff_browser.get("/admin/delivery/shippingmethod/").content.decode()
    assert "RJ, SP" in listing


def test_editing_a_coupon_never_writes_its_uses(staff_browser):
    answer = staff_browser.post(
        "/admin/delivery/coupon/add/",
        {
            "code": "natal",
            "kind": "percent",
            "value": "15",
            "min_subtotal": "0",
            "max_uses": "100",
            "max_uses_per_customer": "1",
            "is_active": "on",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    coupon = Coupon.objects.get(code="NATAL")
    Coupon.objects.filter(pk=coupon.pk).update(uses=7)  # orders counted meanwhile
    changed = staff_browser.post(
        f"/admin/delivery/coupon/{coupon.pk}/change/",
        {
            "kind": "percent",
            "value": "20",
            "min_subtotal": "0",
            "max_uses": "100",
            "max_uses_per_customer": "1",
            "is_active": "on",
        },
    )
    assert changed.status_code == 302, changed.content.decode()[:2000]
    coupon.refresh_from_db()
    assert (coupon.value, coupon.uses) == (20, 7)
    refused = staff_browser.post(
        f"/admin/delivery/coupon/{coupon.pk}/change/",
        {
            "kind": "percent",
            "value": "20",
            "min_subtotal": "0",
            "max_uses": "3",
            "max_uses_per_customer": "1",
            "is_active": "on",
        },
    )
    assert refused.status_code == 200 and "menor que o número de usos" in refused.content.decode()
    assert Coupon.objects.get().max_uses == 100


def test_the_customers_page_shows_their_addresses(staff_browser, customer):
    Address.objects.create(
        customer=customer,
        recipient_name="Ana",
        cep="01310100",
        street="Avenida Paulista",
        number="1",
        district="Bela Vista",
        city="São Paulo",
        state="SP",
        is_default=True,
    )
    page = staff_browser.get(f"/admin/accounts/user/{customer.pk}/change/").content.decode()
    assert "Avenida Paulista" in page
    assert staff_browser.get("/admin/accounts/user/add/").status_code == 200
