"""The account's own profile (names, phone, language, a CPF once) and a change of e-mail
address confirmed from the new address."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.test_guests import as_guest, buy
from catalog.tests.factories import ProductFactory
from testing.clients import client_for

pytestmark = pytest.mark.django_db(transaction=True)  # the mails leave after the commit
VALID_CPF, OTHER_CPF = "52998224725", "11144477735"


def patch(client, **fields):
    return client.patch("/api/sessions/current", fields, format="json")


def test_an_account_changes_its_names_phone_and_language():
    ana = UserFactory()
    answer = patch(
        client_for(ana),
        first_name="Ana",
        last_name="Souza",
        phone="(11) 98765-4321",
        language="en",
    )
    assert answer.status_code == 200
    assert (answer.json()["first_name"], answer.json()["language"]) == ("Ana", "en")
    ana.refresh_from_db()
    assert (ana.last_name, ana.phone) == ("Souza", "+5511987654321")


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"phone": "12345"}, "phone", "invalid_phone"),
        ({"language": "fr"}, "language", "invalid_choice"),
        ({"cpf": "123.456.789-00"}, "cpf", "invalid_cpf"),
        ({"first_name": "x" * 151}, "first_name", "max_length"),
    ],
)
def test_bad_profile_input_is_a_400_and_changes_nothing(fields, field, code):
    ana = UserFactory(first_name="Ana")
    answer = patch(client_for(ana), **{"first_name": "Bia", **fields})
    assert answer.status_code == 400 and field in answer.json()["errors"], answer.json()
    assert answer.json()["code"] == code
    ana.refresh_from_db()
    assert ana.first_name == "Ana" and not ana.cpf and not ana.phone


def test_a_cpf_is_set_once_and_one_of_another_account_is_left_off_quietly(caplog):
    UserFactory(cpf=OTHER_CPF)
    ana = UserFactory()
    client = client_for(ana)
    taken = patch(client, cpf=OTHER_CPF)
    assert taken.status_code == 200  # as at sign-up: nothing tells whose CPF it is
    ana.refresh_from_db()
    assert ana.cpf is None and "linked to another account" in caplog.text
    assert patch(client, cpf="529.982.247-25").status_code == 200
    ana.refresh_from_db()
    assert ana.cpf == VALID_CPF
    again = patch(client, cpf=OTHER_CPF)
    assert (again.status_code, again.json()["code"]) == (409, "cpf_locked")
    assert patch(client, cpf="").json()["code"] == "cpf_locked"
    assert patch(client, cpf=VALID_CPF).status_code == 200  # the same one: nothing changes


def test_guests_read_their_session_but_have_no_profile_to_change():
    guest, _ = as_guest("kiosk@example.com")
    assert guest.get("/api/sessions/current").status_code == 200
    assert patch(guest, first_name="Kiosk").status_code == 403


def change_link() -> str:
    message = next(m for m in mail.outbox if m.subject == "Confirme seu novo endereço de e-mail")
    return re.search(r"http://\S+/account/\S+", message.body).group(0)


def test_a_new_address_is_confirmed_from_itself_and_then_signs_in():
    ana = UserFactory(email="ana@example.com")
    product = ProductFactory(stock=3)
    guest, body = as_guest("ana.new@example.com")
    order_id = buy(guest, body["user"]["cart_id"], product)["order"]["id"]
    client = client_for(ana)

    asked = client.post(
        "/api/auth/email", {"new_email": "Ana.New@Example.com", "password": PASSWORD}
    )
    assert asked.status_code == 202
    [message] = [m for m in mail.outbox if m.subject == "Confirme seu novo endereço de e-mail"]
    assert message.to == ["ana.new@example.com"]  # e-mail addresses are kept in lower case
    ana.refresh_from_db()
    assert ana.email == "ana@example.com"  # until the link is used

    link = urlparse(change_link())
    page = Client()
    page.force_login(ana)  # the link proves the mailbox, the sign-in the account
    assert page.get(f"{link.path}?{link.query}").status_code == 200
    token = parse_qs(link.query)["token"][0]
    done = page.post(link.path, {"token": token})
    assert done.status_code == 200 and "está confirmado" in done.content.decode()
    ana.refresh_from_db()
    assert (ana.email, ana.email_verified) == ("ana.new@example.com", True)
    signed_in = APIClient().post(
        "/api/auth/token", {"email": "ana.new@example.com", "password": PASSWORD}
    )
    assert signed_in.status_code == 200
    again = client.post("/api/auth/email/confirm", {"token": token})
    assert (again.status_code, again.json()["code"]) == (400, "link_invalid")
    # The new address is proven: its guest's order is the account's now.
    assert [o["id"] for o in client.get("/api/orders").json()["results"]] == [order_id]


def test_an_email_change_needs_the_password_and_a_free_address():
    UserFactory(email="bia@example.com")
    client = client_for(UserFactory(email="ana@example.com"))
    wrong = client.post("/api/auth/email", {"new_email": "new@example.com", "password": "x"})
    assert (wrong.status_code, wrong.json()["code"]) == (400, "wrong_password")
    taken = client.post("/api/auth/email", {"new_email": "bia@example.com", "password": PASSWORD})
    assert taken.status_code == 400 and "new_email" in taken.json()["errors"]
    assert mail.outbox == []


def test_an_address_taken_after_the_link_was_sent_is_refused_at_confirmation():
    ana = UserFactory(email="ana@example.com")
    client_for(ana).post("/api/auth/email", {"new_email": "new@example.com", "password": PASSWORD})
    UserFactory(email="new@example.com")  # registered meanwhile
    token = parse_qs(urlparse(change_link()).query)["token"][0]
    answer = client_for(ana).post("/api/auth/email/confirm", {"token": token})
    assert (answer.status_code, answer.json()["code"]) == (409, "email_registered")
    assert User.objects.get(pk=ana.pk).email == "ana@example.com"


def test_an_address_typed_by_staff_is_not_verified():
    ana = UserFactory(email="ana@example.com", email_verified=True)
    ana.email = "typed.by.staff@example.com"
    ana.save()
    ana.refresh_from_db()
    assert not ana.email_verified
