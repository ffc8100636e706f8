"""Personal data (LGPD art. 18): the export holds everything of the caller and no card
data; erasure anonymises every section, keeps paid orders' fiscal record, refuses while an
order is in flight; and no model holding personal data is left out of both."""

import json
import re

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from rest_framework.test import APIClient

from accounts import personal_data
from accounts.models import User
from accounts.tests.factories import PASSWORD, AdminFactory, UserFactory
from catalog.tests.factories import ProductFactory
from chat.services import message_post
from orders.models import Order
from orders.services import order_pay, order_transition
from testing.clients import client_for
from testing.purchases import TRACKING, order_for

pytestmark = pytest.mark.django_db
PERSONAL_FIELD = re.compile(
    r"(^|_)(email|cpf|first_name|last_name|phone|holder|purchaser|username|ip_address|address"
    r"|recipient|street|cep|buyer)"
)


def personal_models() -> set[type[models.Model]]:
    user = apps.get_model("accounts", "User")
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            points_at_user = (
                (field.many_to_one or field.one_to_one)
                and field.concrete
                and (field.related_model is user)
            )
            holds = field.concrete and (
                isinstance(field, models.EmailField) or PERSONAL_FIELD.search(field.name)
            )
            if points_at_user or holds:
                found.add(model)
    return found


def test_every_model_holding_personal_data_is_exported_or_erased_or_reviewed():
    covered = set()
    for section in personal_data.sections():
        covered |= set(section.models) | set(section.reviewed)
    left_out = {m._meta.label for m in personal_models() - covered}
    # Not the shop's data about people: Django's permission and group names, product names.
    left_out -= {"auth.Permission", "auth.Group", "catalog.Category", "catalog.Product"}
    assert left_out == set(), f"name these in a personal_data.Section: {sorted(left_out)}"


def test_the_scan_finds_a_model_with_an_email():
    assert apps.get_model("chat", "Message") in personal_models()


def customer_with_history():
    ana = UserFactory(
        email="ana@example.com",
        first_name="Ana",
        last_name="Lima",
        cpf="52998224725",
        phone="+5511987654321",
    )
    delivered = order_for(ana, (ProductFactory(stock=5), 1))
    order_pay(order=delivered)
    for status in ("preparing", "shipped", "delivered"):
        order_transition(order=delivered, to=status, tracking=TRACKING)
    cancelled = order_for(ana)
    order_transition(order=cancelled, to="cancelled", by=ana)
    message_post(user=ana, text="Chega amanhã?")
    return ana, Order.objects.get(pk=delivered.pk)


def test_the_export_holds_every_section_and_never_card_data(django_capture_on_commit_callbacks):
    ana, delivered = customer_with_history()
    client = client_for(ana)
    answer = client.get("/api/sessions/current/data")
    assert answer.status_code == 200
    data = answer.json()
    assert {s.name for s in personal_data.sections()} == set(data)
    assert data["profile"]["cpf"] == "52998224725" and data["profile"]["phone"] == "+5511987654321"
    assert {o["id"] for o in data["orders"]} >= {delivered.pk}
    assert data["tickets"]["tickets"] and data["chat_messages"][0]["message"] == "Chega amanhã?"
    assert data["sign_ins"]  # the token the client signs in with
    text = json.dumps(data)
    assert "card_last4" not in text and "card_brand" not in text and "4242" not in text
    assert APIClient().get("/api/sessions/current/data").status_code == 401


def test_erasure_needs_the_password_and_changes_nothing_without_it():
    ana, _ = customer_with_history()
    answer = client_for(ana).delete("/api/sessions/current", {"password": "guess"}, format="json")
    assert (answer.status_code, answer.json()["code"]) == (400, "wrong_password")
    ana.refresh_from_db()
    assert ana.email == "ana@example.com" and ana.is_active and ana.anonymised_at is None


def test_erasure_waits_for_orders_in_flight():
    ana = UserFactory()
    order_for(ana)  # awaiting payment
    answer = client_for(ana).delete("/api/sessions/current", {"password": PASSWORD}, format="json")
    assert (answer.status_code, answer.json()["code"]) == (409, "orders_in_progress")
    assert User.objects.get(pk=ana.pk).anonymised_at is None


def test_erasure_anonymises_everything_but_the_fiscal_record_of_paid_orders():
    from chat.models import Message
    from tickets.models import Ticket

    ana, delivered = customer_with_history()
    assert delivered.shipping_address["street"] and ana.addresses.exists()
    client = client_for(ana)
    assert (
        client.delete("/api/sessions/current", {"password": PASSWORD}, format="json").status_code
        == 204
    )

    ana.refresh_from_db()
    assert not ana.addresses.exists()
    assert not Order.objects.filter(customer=ana).exclude(shipping_address={}).exists()
    assert ana.anonymised_at and not ana.is_active and not ana.has_usable_password()
    assert (ana.first_name, ana.last_name, ana.cpf, ana.phone) == ("", "", None, "")
    assert ana.email.endswith(".invalid")
    assert client.get("/api/sessions/current").status_code == 401
    login = APIClient().post("/api/auth/token", {"email": "ana@example.com", "password": PASSWORD})
    assert login.status_code == 401
    delivered.refresh_from_db()
    assert (delivered.buyer_name, delivered.buyer_cpf) == ("Ana Lima", "52998224725")
    assert delivered.fiscal_until.year >= delivered.created_at.year + 5
    cancelled = Order.objects.filter(customer=ana, status="cancelled").get()
    assert (cancelled.buyer_name, cancelled.buyer_cpf) == ("", "")  # nothing was sold
    assert Message.objects.get(user=ana).email == ""
    assert not Ticket.objects.filter(purchaser="ana@example.com").exists()
    # The address is free again: the person may come back as a new customer.
    assert UserFactory(email="ana@example.com").pk != ana.pk


def test_the_fiscal_record_goes_once_its_retention_has_run_out():
    from datetime import timedelta

    from django.utils import timezone

    from orders.personal import fiscal_records_purge

    ana, delivered = customer_with_history()
    client_for(ana).delete("/api/sessions/current", {"password": PASSWORD}, format="json")
    assert fiscal_records_purge() == 0
    Order.objects.filter(pk=delivered.pk).update(fiscal_until=timezone.now() - timedelta(days=1))
    assert fiscal_records_purge() == 1
    delivered.refresh_from_db()
    assert (delivered.buyer_name, delivered.buyer_cpf) == ("", "")


def test_guests_export_but_erase_nothing_without_an_account():
    from accounts.tests.test_guests import as_guest

    guest, _ = as_guest("kiosk@example.com")
    assert guest.get("/api/sessions/current/data").status_code == 200
    assert (
        guest.delete("/api/sessions/current", {"password": "x"}, format="json").status_code == 403
    )


def test_staff_erase_from_the_admin_after_a_confirmation_page():
    ana, _ = customer_with_history()
    busy = UserFactory(email="busy@example.com")
    order_for(busy)
    client = Client()  # the admin's forms, not JSON
    client.force_login(AdminFactory())
    chosen = {"action": "erase_personal_data", "_selected_action": [ana.pk, busy.pk], "index": 0}
    page = client.post("/admin/accounts/user/", chosen)
    assert page.status_code == 200 and b'id="confirm-erase"' in page.content
    assert User.objects.get(pk=ana.pk).anonymised_at is None  # nothing yet
    confirm = {"action": "erase_personal_data", "_selected_action": [ana.pk, busy.pk]}
    done = client.post("/admin/accounts/user/", {**confirm, "confirmed": "yes"}, follow=True)
    assert done.status_code == 200
    assert User.objects.get(pk=ana.pk).anonymised_at is not None
    assert User.objects.get(pk=busy.pk).anonymised_at is None  # an order in flight
    assert "aguardando pagamento" in done.content.decode()


def test_the_fiscal_record_runs_from_the_sale_not_from_the_erasure(settings):
    from datetime import timedelta

    from django.utils import timezone

    ana, delivered = customer_with_history()
    Order.objects.filter(pk=delivered.pk).update(
        created_at=timezone.now() - timedelta(days=6 * 365)
    )
    client_for(ana).delete("/api/sessions/current", {"password": PASSWORD}, format="json")
    delivered.refresh_from_db()
    assert (delivered.buyer_name, delivered.buyer_cpf, delivered.fiscal_until) == ("", "", None)


def test_guessing_the_password_of_an_erasure_is_throttled_as_logins_are(settings, mid_minute):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "login": "2/min",
        },
    }
    client = client_for(UserFactory())
    answers = [
        client.delete("/api/sessions/current", {"password": "guess"}, format="json").status_code
        for _ in range(3)
    ]
    assert answers == [400, 400, 429]
    assert client.get("/api/sessions/current").status_code == 200  # reading is not counted
