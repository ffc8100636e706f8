"""Password recovery and change: a reset link mailed without telling who has an account,
used once; after a reset or a change every token and session from before is refused, on
the API, token refresh and WebSockets (the claim path: flashsales/tests/test_gate.py)."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from channels.testing import WebsocketCommunicator
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tokens import token_pair_for
from config.asgi import application
from testing.clients import handshake
from testing.concurrency import run_async

# Real commits: the cache learns of a revocation, and the mails leave, after the commit.
pytestmark = pytest.mark.django_db(transaction=True)
NEW = "another-strong-passphrase-2027"


def bearer(access) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def ask_reset(email, address="10.0.0.1"):
    return APIClient(REMOTE_ADDR=address).post(
        "/api/auth/password-reset", {"email": email}, format="json"
    )


def reset_token() -> str:
    [message] = [m for m in mail.outbox if m.subject == "Redefina sua senha"]
    link = re.search(r"http://\S+", message.body).group(0)
    return parse_qs(urlparse(link).query)["token"][0]


def login(email, password):
    return APIClient().post("/api/auth/token", {"email": email, "password": password})


def test_a_reset_for_an_unknown_address_is_answered_exactly_as_for_a_known_one(monkeypatch):
    from accounts import services

    UserFactory(email="ana@example.com")
    queued, answers = [], []
    monkeypatch.setattr(services, "enqueue", lambda task, *args: queued.append(args))
    for email in ("ana@example.com", "nobody@example.com"):
        with CaptureQueriesContext(connection) as queries:
            response = ask_reset(email)
        answers.append((response.status_code, response.content, len(queries)))
    # The same answer after the same work: no query, a task queued; the lookup is the task's.
    assert answers[0] == answers[1] == (202, b"", 0)
    assert queued == [("ana@example.com",), ("nobody@example.com",)]
    assert mail.outbox == []


def test_forgot_mail_link_new_password_and_every_old_token_is_refused():
    ana = UserFactory(email="ana@example.com")
    session = token_pair_for(ana)
    assert ask_reset("ana@example.com").status_code == 202
    token = reset_token()

    page = Client()
    assert b'id="password"' in page.get(f"/account/password-reset?token={token}").content
    changed = page.post("/account/password-reset", {"token": token, "password": NEW})
    assert changed.status_code == 200 and "Sua senha foi alterada" in changed.content.decode()

    assert login("ana@example.com", PASSWORD).status_code == 401
    assert login("ana@example.com", NEW).status_code == 200
    assert bearer(session.access_token).get("/api/sessions/current").status_code == 401
    refreshed = APIClient().post("/api/auth/token/refresh", {"refresh": str(session)})
    assert refreshed.status_code == 401
    verified = APIClient().post("/api/auth/token/verify", {"token": str(session.access_token)})
    assert verified.status_code == 401
    assert [m.subject for m in mail.outbox][-1] == "Sua senha foi alterada"
    again = APIClient().post(
        "/api/auth/password-reset/confirm", {"token": token, "password": "third-" + NEW}
    )
    assert (again.status_code, again.json()["code"]) == (400, "link_invalid")


def test_a_websocket_with_a_token_from_before_the_reset_is_refused():
    ana = UserFactory(email="ana@example.com")
    access = token_pair_for(ana).access_token
    ask_reset("ana@example.com")
    APIClient().post("/api/auth/password-reset/confirm", {"token": reset_token(), "password": NEW})

    async def scenario():
        return await handshake(WebsocketCommunicator(application, f"/ws/orders/?token={access}"))

    assert run_async(scenario) == 4401


def test_a_weak_new_password_is_refused_and_the_link_still_works():
    UserFactory(email="ana@example.com")
    ask_reset("ana@example.com")
    weak = APIClient().post(
        "/api/auth/password-reset/confirm", {"token": reset_token(), "password": "123"}
    )
    assert weak.status_code == 400 and "password" in weak.json()["errors"]
    assert User.objects.get(email="ana@example.com").check_password(PASSWORD)
    ok = APIClient().post(
        "/api/auth/password-reset/confirm", {"token": reset_token(), "password": NEW}
    )
    assert ok.status_code == 204


def test_a_sign_in_after_the_link_was_sent_uses_it_up():
    UserFactory(email="ana@example.com")
    ask_reset("ana@example.com")
    assert login("ana@example.com", PASSWORD).status_code == 200  # remembered after all
    late = APIClient().post(
        "/api/auth/password-reset/confirm", {"token": reset_token(), "password": NEW}
    )
    assert (late.status_code, late.json()["code"]) == (400, "link_invalid")


def test_an_expired_or_altered_reset_link_is_refused(settings):
    UserFactory(email="ana@example.com")
    ask_reset("ana@example.com")
    token = reset_token()
    altered = APIClient().post(
        "/api/auth/password-reset/confirm", {"token": token[:-3] + "xyz", "password": NEW}
    )
    assert (altered.status_code, altered.json()["code"]) == (400, "link_invalid")
    settings.PASSWORD_RESET_HOURS = 0
    expired = APIClient().post(
        "/api/auth/password-reset/confirm", {"token": token, "password": NEW}
    )
    assert (expired.status_code, expired.json()["code"]) == (400, "link_expired")
    assert login("ana@example.com", PASSWORD).status_code == 200


def test_reset_requests_are_throttled_per_address_asked_about(settings, mid_minute):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "account_mail": "2/hour",
        },
    }
    UserFactory(email="ana@example.com")
    statuses = [ask_reset("ana@example.com", f"10.0.0.{i}").status_code for i in range(3)]
    assert statuses == [202, 202, 429]  # three clients, one mailbox
    assert ask_reset("bia@example.com", "10.0.0.9").status_code == 202
    assert len(mail.outbox) == 2


def test_changing_the_password_needs_the_current_one_and_ends_every_sign_in():
    ana = UserFactory(email="ana@example.com")
    first, second = token_pair_for(ana), token_pair_for(ana)
    client = bearer(first.access_token)

    wrong = client.post(
        "/api/auth/password", {"current_password": "guess", "new_password": NEW}, format="json"
    )
    assert (wrong.status_code, wrong.json()["code"]) == (400, "wrong_password")
    weak = client.post(
        "/api/auth/password", {"current_password": PASSWORD, "new_password": "1"}, format="json"
    )
    assert weak.status_code == 400 and "new_password" in weak.json()["errors"]
    assert bearer(second.access_token).get("/api/sessions/current").status_code == 200

    changed = client.post(
        "/api/auth/password", {"current_password": PASSWORD, "new_password": NEW}, format="json"
    )
    assert changed.status_code == 204
    for session in (first, second):
        assert bearer(session.access_token).get("/api/sessions/current").status_code == 401
    assert mail.outbox[-1].subject == "Sua senha foi alterada"
    fresh = login("ana@example.com", NEW).json()["access"]
    assert bearer(fresh).get("/api/sessions/current").status_code == 200


def test_a_password_set_anywhere_else_ends_the_sign_ins_too(admin_client):
    """The admin's password form and `changepassword` call set_password and save."""
    ana = UserFactory(email="ana@example.com")
    access = token_pair_for(ana).access_token
    ana.set_password(NEW)
    ana.save()
    assert bearer(access).get("/api/sessions/current").status_code == 401


def test_a_session_cookie_from_before_the_change_is_signed_out():
    browser = APIClient()
    browser.force_login(UserFactory(email="ana@example.com"))
    assert browser.get("/api/sessions/current").status_code == 200
    user = User.objects.get(email="ana@example.com")
    user.set_password(NEW)
    user.save()
    assert browser.get("/api/sessions/current").status_code in (401, 403)


def test_revocation_outlives_a_cache_that_lost_it(use_redis):
    from django.core.cache import cache

    from accounts.tokens import LOADED

    ana = UserFactory(email="ana@example.com")
    access = token_pair_for(ana).access_token
    ana.set_password(NEW)
    ana.save()
    cache.clear()  # Redis restarted: the generation and LOADED are gone
    assert bearer(access).get("/api/sessions/current").status_code == 401
    assert cache.get(LOADED)  # copied back in from the database


def test_a_cache_that_missed_the_change_lets_no_old_token_by(monkeypatch):
    from accounts import tokens

    monkeypatch.setattr(tokens, "_publish_generation", lambda *args: None)  # Redis was down
    ana = UserFactory(email="ana@example.com")
    session = token_pair_for(ana)
    ana.set_password(NEW)
    ana.save()
    assert bearer(session.access_token).get("/api/sessions/current").status_code == 401
    refreshed = APIClient().post("/api/auth/token/refresh", {"refresh": str(session)})
    assert refreshed.status_code == 401


def test_the_forgot_page_mails_a_link_and_counts_as_the_api_does(settings, mid_minute):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "account_mail": "2/hour",
        },
    }
    UserFactory(email="ana@example.com")
    page = Client()
    answers = [page.post("/account/password-reset", {"email": "ana@example.com"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert b'id="result"' in answers[0].content
    assert len([m for m in mail.outbox if m.subject == "Redefina sua senha"]) == 2


def test_the_forgot_page_and_the_api_share_one_budget_per_address(settings, mid_minute):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "account_mail": "2/hour",
        },
    }
    assert Client().post("/account/password-reset", {"email": "ana@example.com"}).status_code == 200
    assert ask_reset("ana@example.com", "10.0.0.7").status_code == 202
    assert ask_reset("ana@example.com", "10.0.0.8").status_code == 429  # the mailbox's budget
