"""One limit on password guessing, whichever door the password is tried at."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 4


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def api_login(email, password, address="10.0.0.1", **extra):
    client = APIClient(REMOTE_ADDR=address, **extra)
    return client.post("/api/auth/token", {"email": email, "password": password}, format="json")


def form_login(path, email, password, address="10.0.0.1"):
    client = Client(REMOTE_ADDR=address)
    client.get(path)  # the form, for its CSRF cookie; the test client skips CSRF anyway
    response = client.post(path, {"username": email, "password": password})
    return response, client


def expire_lockouts():
    """Move every recorded failure back past the cool-off, as time passing would."""
    past = timezone.now() - timedelta(minutes=16)
    AccessAttempt.objects.update(attempt_time=past)


def test_api_logins_are_locked_after_repeated_failures_even_with_the_right_password(caplog):
    maria = UserFactory()
    statuses = [api_login(maria.email, "wrong").status_code for _ in range(LIMIT - 1)]
    assert statuses == [401] * (LIMIT - 1)
    locking = api_login(maria.email, "wrong")
    assert locking.status_code == 429
    right = api_login(maria.email, PASSWORD)
    assert right.status_code == 429
    assert right.json()["code"] == "login_locked"
    assert int(right["Retry-After"]) == right.json()["retry_after"] == 15 * 60
    assert "Locking out" in caplog.text


@pytest.mark.parametrize("path", ["/admin/login/", "/api-auth/login/"])
def test_session_logins_are_locked_too(path):
    admin = UserFactory(role="admin")
    for _ in range(LIMIT):
        response, _ = form_login(path, admin.email, "wrong")
        assert response.status_code in (200, 429)  # the form again, with its error
    response, client = form_login(path, admin.email, PASSWORD)
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    assert response["Retry-After"] == str(15 * 60)
    assert "_auth_user_id" not in client.session  # no session was opened


def test_every_door_shares_one_count():
    maria = UserFactory()
    api_login(maria.email, "wrong")
    form_login("/admin/login/", maria.email, "wrong")
    form_login("/api-auth/login/", maria.email.upper(), "wrong")  # e-mails compare lower-cased
    api_login(maria.email, "wrong")
    assert api_login(maria.email, PASSWORD).status_code == 429


def test_one_address_guessing_many_accounts_is_locked_out():
    victims = UserFactory.create_batch(LIMIT)
    for victim in victims:
        assert api_login(victim.email, "wrong", address="10.9.9.9").status_code in (401, 429)
    bystander = UserFactory()
    assert api_login(bystander.email, PASSWORD, address="10.9.9.9").status_code == 429
    # The accounts themselves are not locked for their owners elsewhere.
    assert api_login(victims[0].email, PASSWORD, address="10.1.1.1").status_code == 200


def test_an_account_guessed_from_many_addresses_is_locked():
    maria = UserFactory()
    for i in range(LIMIT):
        api_login(maria.email, "wrong", address=f"10.2.0.{i + 1}")
    assert api_login(maria.email, PASSWORD, address="10.3.0.1").status_code == 429


def test_a_stranger_locks_a_customer_out_only_for_the_cool_off():
    maria = UserFactory()
    for i in range(LIMIT):
        api_login(maria.email, "wrong", address=f"10.4.0.{i + 1}")
    # Hammering during the lockout does not prolong it.
    for _ in range(5):
        assert api_login(maria.email, "wrong", address="10.4.1.1").status_code == 429
    expire_lockouts()
    assert api_login(maria.email, PASSWORD, address="10.5.0.1").status_code == 200


def test_the_address_comes_from_the_trusted_proxy(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    maria = UserFactory()
    for i in range(LIMIT):
        api_login(f"nobody{i}@example.com", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.7")
    # Same proxy, another client: not locked; the guessing client is.
    ok = api_login(maria.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert ok.status_code == 200
    locked = api_login(maria.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert locked.status_code == 429


def test_an_over_long_login_is_a_400_and_the_lockout_still_counts_it():
    response = api_login("a" * 300 + "@example.com", "x")
    assert response.status_code == 400
    assert "email" in response.json()["errors"]
    # A form login that names a longer account is recorded under its first 255 characters.
    response, _ = form_login("/api-auth/login/", "b" * 300 + "@example.com", "x")
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == ("b" * 300)[:255]


@pytest.mark.parametrize(
    ("forwarded", "peer", "expected"),
    [
        ("203.0.113.7", "10.0.0.1", "203.0.113.7"),
        ("not-an-ip", "10.0.0.1", "10.0.0.1"),
        ("not-an-ip", "", None),
    ],
)
def test_the_lockout_address_is_always_one_the_database_can_store(
    settings, forwarded, peer, expected
):
    from django.test import RequestFactory

    from accounts.lockout import client_address

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    request = RequestFactory().post("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=peer)
    assert client_address(request) == expected
