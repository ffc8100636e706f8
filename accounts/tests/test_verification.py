"""E-mail verification: registration mails a link; the link (its page, or its token on the
API) verifies the address once, and only then do the guests of that address hand their
orders, tickets and admissions to the account."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from accounts import links
from accounts.models import AccountMail, User
from accounts.tests.test_guests import as_guest, buy
from catalog.tests.factories import ProductFactory
from testing.clients import client_for

pytestmark = pytest.mark.django_db
PASSWORD = "a-strong-passphrase-2026"


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run the tasks a block queues (the mail's), as after its commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def register(sent, email="ana@example.com") -> User:
    with sent():
        response = APIClient().post(
            "/api/auth/register",
            {"email": email, "password": PASSWORD, "first_name": "Ana", "last_name": "Silva"},
            format="json",
        )
    assert response.status_code == 201, response.content
    assert response.json()["email_verified"] is False
    return User.objects.get(email=email, is_guest=False)


def link_in(message) -> str:
    return re.search(r"http://\S+", message.body).group(0)


def token_in(message) -> str:
    return parse_qs(urlparse(link_in(message)).query)["token"][0]


def test_registration_mails_a_link_whose_page_verifies_the_address(sent):
    ana = register(sent)
    [message] = mail.outbox
    assert message.to == ["ana@example.com"]
    assert message.subject == "Confirme seu endereço de e-mail"
    assert AccountMail.objects.get(user=ana).sent_at is not None
    link = urlparse(link_in(message))
    assert link.path == "/account/verify-email"

    page = Client()
    asks = page.get(f"{link.path}?{link.query}")
    assert b'id="login"' in asks.content  # the link proves the mailbox; sign in for the account
    page.force_login(ana)
    opened = page.get(f"{link.path}?{link.query}")
    assert opened.status_code == 200 and b'id="confirm"' in opened.content
    ana.refresh_from_db()
    assert not ana.email_verified  # opening the link (a mail scanner's preview) changes nothing
    confirmed = page.post(link.path, {"token": token_in(message)})
    assert confirmed.status_code == 200 and "está confirmado" in confirmed.content.decode()
    ana.refresh_from_db()
    assert ana.email_verified
    again = page.post(link.path, {"token": token_in(message)})
    assert again.status_code == 400 and b'id="error"' in again.content


def verify(user, token):
    return client_for(user).post("/api/auth/verify-email", {"token": token}, format="json")


def test_the_api_verifies_once_and_the_dto_says_so(sent):
    ana = register(sent)
    token = token_in(mail.outbox[0])
    assert APIClient().post("/api/auth/verify-email", {"token": token}).status_code == 401
    first = verify(ana, token)
    assert first.status_code == 200 and first.json()["email_verified"] is True
    second = verify(ana, token)
    assert (second.status_code, second.json()["code"]) == (400, "link_invalid")


@pytest.mark.parametrize(
    "spoil",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # altered
        lambda token: "",
        lambda token: "x" * 2000,
        lambda token: 12345,
    ],
)
def test_an_altered_or_malformed_token_is_refused_and_changes_nothing(sent, spoil):
    ana = register(sent)
    answer = verify(ana, spoil(token_in(mail.outbox[0])))
    assert answer.status_code == 400
    assert answer.json()["code"] in ("link_invalid", "blank", "max_length", "invalid")
    ana.refresh_from_db()
    assert not ana.email_verified


def test_an_expired_token_and_a_token_for_another_purpose_are_refused(sent, settings):
    ana = register(sent)
    reset = links.link_token(links.PASSWORD_RESET, ana)
    foreign = verify(ana, reset)
    assert (foreign.status_code, foreign.json()["code"]) == (400, "link_invalid")
    settings.EMAIL_VERIFY_HOURS = 0
    expired = verify(ana, token_in(mail.outbox[0]))
    assert (expired.status_code, expired.json()["code"]) == (400, "link_expired")
    ana.refresh_from_db()
    assert not ana.email_verified


def test_a_link_verifies_only_for_the_account_it_was_mailed_to(sent):
    ana = register(sent)
    bia = register(sent, "bia@example.com")
    bia_token = token_in(mail.outbox[1])
    refused = verify(ana, bia_token)  # Ana signed in, with Bia's link
    assert (refused.status_code, refused.json()["code"]) == (400, "link_invalid")
    assert verify(bia, bia_token).json()["email"] == "bia@example.com"
    ana.refresh_from_db()
    assert not ana.email_verified


def test_a_stranger_who_registered_a_guests_address_gets_nothing_when_the_owner_clicks(sent):
    """The owner of the mailbox has the link but not the stranger's password: verifying
    needs both, so the guest's orders stay with the guest."""
    guest, body = as_guest("ana@example.com")
    buy(guest, body["user"]["cart_id"], ProductFactory(stock=2))
    stranger = register(sent)  # knows the password it chose; has no access to the mailbox
    link = urlparse(link_in(mail.outbox[-1]))
    owner = Client()  # the mailbox's owner opens the link, not signed in as the stranger
    assert b'id="login"' in owner.post(link.path, {"token": token_in(mail.outbox[-1])}).content
    stranger.refresh_from_db()
    assert not stranger.email_verified and stranger.orders.count() == 0
    assert guest.get("/api/orders").json()["count"] == 1


def test_guests_orders_pass_to_the_account_only_once_it_verifies_the_address(sent):
    product = ProductFactory(stock=5)
    guest, guest_body = as_guest("ana@example.com")
    order_id = buy(guest, guest_body["user"]["cart_id"], product)["order"]["id"]

    ana = register(sent)
    account = client_for(ana)
    for path in ("/api/orders", "/api/tickets"):
        assert account.get(path).json()["count"] == 0, path

    assert verify(ana, token_in(mail.outbox[-1])).status_code == 200

    assert [o["id"] for o in account.get("/api/orders").json()["results"]] == [order_id]
    assert account.get("/api/tickets").json()["count"] == 1
    assert guest.get("/api/orders").status_code == 401  # the guest's history has an owner


def test_resend_mails_a_new_link_to_an_unverified_account_only(sent):
    ana = register(sent)
    client = client_for(ana)
    with sent():
        assert client.post("/api/auth/verify-email/resend").status_code == 202
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["ana@example.com"]
    verify(ana, token_in(mail.outbox[1]))
    with sent():
        assert client.post("/api/auth/verify-email/resend").status_code == 202
    assert len(mail.outbox) == 2  # verified: nothing more to send


def test_resend_is_for_accounts_and_throttled(sent, settings, mid_minute):
    guest, _ = as_guest("kiosk@example.com")
    assert guest.post("/api/auth/verify-email/resend").status_code == 403
    assert APIClient().post("/api/auth/verify-email/resend").status_code == 401
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "account_mail": "2/hour",
        },
    }
    client = client_for(register(sent))
    statuses = [client.post("/api/auth/verify-email/resend").status_code for _ in range(3)]
    assert statuses == [202, 202, 429]


@pytest.mark.django_db(transaction=True)  # two requests race on real commits
def test_two_uses_of_one_link_at_once_verify_once():
    from testing.concurrency import at_once

    product = ProductFactory(stock=5)
    guest, guest_body = as_guest("ana@example.com")
    buy(guest, guest_body["user"]["cart_id"], product)
    ana = User.objects.create_user(email="ana@example.com", password=PASSWORD)
    token = links.link_token(links.VERIFY_EMAIL, ana)

    answers = at_once(2, lambda i: verify(ana, token))

    assert sorted(a.status_code for a in answers) == [200, 400]
    assert User.objects.get(pk=ana.pk).email_verified
    assert ana.orders.count() == 1


def test_an_adopted_guest_keeps_no_address(sent):
    _, body = as_guest("ana@example.com")
    ana = register(sent)
    assert verify(ana, token_in(mail.outbox[-1])).status_code == 200
    emptied = User.objects.get(pk=body["user"]["id"])
    assert not emptied.is_active and emptied.email.endswith("@erased.invalid")
