"""Portuguese first, English on request: the API, the catalog cache, e-mails and money."""

from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from catalog.tests.factories import ProductFactory
from core.money import money_display
from testing.purchases import order_for

pytestmark = pytest.mark.django_db


def test_money_reads_as_people_read_it():
    assert money_display(Decimal("1299.90"), "pt-br") == "R$\xa01.299,90"
    assert money_display(Decimal("1299.90"), "en") == "R$1,299.90"
    with translation.override("pt-br"):
        assert money_display("7728.7") == "R$\xa07.728,70"


def test_a_refusal_is_portuguese_by_default_and_english_on_request():
    anonymous = APIClient()
    default = anonymous.post("/api/auth/token", {}, format="json")
    english = anonymous.post("/api/auth/token", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert default.status_code == english.status_code == 400
    assert default.json()["code"] == english.json()["code"]
    assert "obrigatório" in default.json()["detail"]
    assert "required" in english.json()["detail"]
    assert default["Content-Language"] == "pt-br" and english["Content-Language"] == "en"


def test_the_catalog_cache_never_serves_one_language_to_the_other(settings):
    settings.CATALOG_CACHE_SECONDS = 60
    ProductFactory()
    visitor = Client()
    answers = [
        visitor.get("/api/products", **headers)
        for headers in ({}, {"HTTP_ACCEPT_LANGUAGE": "en"}, {}, {"HTTP_ACCEPT_LANGUAGE": "en"})
    ]
    assert [a["Content-Language"] for a in answers] == ["pt-br", "en", "pt-br", "en"]
    assert answers[2]["ETag"] == answers[0]["ETag"]  # the second of each came from the cache
    assert "Accept-Language" in answers[0]["Vary"]


@pytest.mark.parametrize(
    ("language", "amount"), [("pt-br", "R$\xa01.299,90"), ("en", "R$1,299.90")]
)
def test_the_ticket_email_reads_money_in_the_recipients_language(
    customer, django_capture_on_commit_callbacks, language, amount
):
    customer.language = language
    customer.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        order_for(customer, (ProductFactory(price="1299.90", stock=2), 1))
    [ticket_mail] = mail.outbox
    assert amount in ticket_mail.body


def test_the_pages_switch_language_and_remember_it():
    visitor = Client()
    home = visitor.get("/")
    assert '<html lang="pt-br">' in home.content.decode()
    assert 'name="language"' in home.content.decode()
    switched = visitor.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert switched.status_code == 302
    assert '<html lang="en">' in visitor.get("/").content.decode()


def refusals(customer, admin):
    """One representative refusal of each app: (client, method, path, body)."""
    from catalog.tests.factories import CategoryFactory
    from testing.clients import client_for

    shopper, staff = client_for(customer), client_for(admin)
    full = CategoryFactory()
    ProductFactory(category=full)
    cancelled = order_for(customer)
    shopper.post(f"/api/orders/{cancelled.pk}/cancel")
    return {
        "accounts": (
            APIClient(),
            "post",
            "/api/auth/token",
            {"email": "x@example.com", "password": "wrong-password"},
        ),
        "catalog": (staff, "delete", f"/api/categories/{full.pk}", None),
        "carts": (shopper, "post", f"/api/carts/{customer.cart.pk}/purchase", None),
        "orders": (shopper, "post", f"/api/orders/{cancelled.pk}/cancel", None),
        "delivery": (shopper, "get", "/api/cep/abc", None),
        "payments": (shopper, "post", f"/api/orders/{cancelled.pk}/payments", {"method": "pix"}),
        "tickets": (staff, "post", "/api/admissions/check-in", {"code": "NOSUCHCODE"}),
        "flashsales": (shopper, "post", "/api/flash-sales/999999/claims", None),
        "chat": (APIClient(), "get", "/api/chat/messages", None),
    }


def test_each_apps_refusal_reads_portuguese_by_default_and_english_on_request(customer, admin):
    for app, (client, method, path, body) in refusals(customer, admin).items():
        send = getattr(client, method)
        default = send(path, body, format="json") if body else send(path)
        english = (
            send(path, body, format="json", HTTP_ACCEPT_LANGUAGE="en")
            if body
            else send(path, HTTP_ACCEPT_LANGUAGE="en")
        )
        assert default.status_code == english.status_code >= 400, app
        assert default.json()["code"] == english.json()["code"], app
        assert default.json()["detail"] != english.json()["detail"], (app, default.json())


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (b"", "pt-br"),
        (b"en-US,en;q=0.9", "en"),
        (b"fr;q=1, en;q=0.5, pt-BR;q=0.8", "pt-br"),
        (b"de, *;q=0.1", "pt-br"),
        (b"en;q=bad, pt-BR", "pt-br"),
    ],
)
def test_the_lean_claim_handler_picks_the_language_as_django_would(header, language):
    from core.middleware import lean_language

    assert lean_language({"headers": [(b"accept-language", header)]}) == language


def test_staff_work_in_portuguese_or_in_english(staff_browser, customer):
    order_for(customer)
    portuguese = staff_browser.get("/admin/orders/order/").content.decode()
    assert "Aguardando pagamento" in portuguese and "Marcar como enviado" in portuguese
    assert "Pending payment" not in portuguese
    staff_browser.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    english = staff_browser.get("/admin/orders/order/").content.decode()
    assert "Pending payment" in english and "Mark as shipped" in english


ENGLISH = (
    "Back office",
    "Live chat",
    "Flash sale",
    "Log in",
    "Demo logins",
    "Claim one",
    "Pay with",
)


def test_the_home_and_flash_sale_pages_read_portuguese_with_no_english_left():
    from testing.setups import flash_sale

    sale = flash_sale(units=5)["sale"]
    visitor = Client()
    for path in ("/", f"/flash-sales/{sale}"):
        page = visitor.get(path).content.decode()
        assert [word for word in ENGLISH if word in page] == [], path
    home = visitor.get("/").content.decode()
    assert "Retaguarda" in home and "Oferta relâmpago" in home
    assert "R$\xa0" in home  # the sale's price, as people read it


@pytest.mark.parametrize(
    ("header", "language", "subject"),
    [
        ({}, "pt-br", "Confirme seu endereço de e-mail"),
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, "en", "Confirm your e-mail address"),
    ],
)
def test_an_account_takes_the_language_it_registered_in(
    django_capture_on_commit_callbacks, header, language, subject
):
    body = {
        "email": "nova@example.com",
        "password": "a-strong-passphrase-2026",
        "first_name": "Nova",
        "last_name": "Silva",
    }
    with django_capture_on_commit_callbacks(execute=True):
        answer = APIClient().post("/api/auth/register", body, format="json", **header)
    assert answer.status_code == 201, answer.content
    assert answer.json()["language"] == language
    assert [m.subject for m in mail.outbox] == [subject]


def test_the_chat_and_door_pages_read_portuguese(staff_browser, customer):
    from django.urls import reverse

    visitor = Client()
    visitor.force_login(customer)
    chat = visitor.get("/chat/").content.decode()
    assert "Mensagem" in chat and "Enviar" in chat and "Message" not in chat
    door = staff_browser.get(reverse("admin:tickets_door")).content.decode()
    assert "Código do ingresso" in door and "Admission code" not in door
