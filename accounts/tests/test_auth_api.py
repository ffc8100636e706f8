import pytest
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from testing.clients import client_for
from testing.concurrency import at_once

pytestmark = pytest.mark.django_db

DTO_FIELDS = {
    "id",
    "email",
    "first_name",
    "last_name",
    "role",
    "cart_id",
    "email_verified",
    "language",
}


def register(client, **overrides):
    body = {
        "email": "new.customer@example.com",
        "password": "a-strong-passphrase",
        "first_name": "Nova",
        "last_name": "Cliente",
        **overrides,
    }
    return client.post("/api/auth/register", body, format="json")


def login(client, email, password=PASSWORD):
    return client.post("/api/auth/token", {"email": email, "password": password}, format="json")


def assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["code"], str) and body["code"]
    if code:
        assert body["code"] == code, body


def test_register_creates_a_customer_and_returns_only_the_dto(anon_client):
    response = register(anon_client, cpf="529.982.247-25")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == DTO_FIELDS
    assert body["role"] == "customer"
    user = User.objects.get(pk=body["id"])
    assert body["cart_id"] == user.cart.pk  # one open cart, created with the customer
    assert user.cpf == "52998224725"
    assert user.check_password("a-strong-passphrase")
    assert not user.is_staff


@pytest.mark.parametrize(
    "escalation",
    [
        {"role": "admin"},
        {"is_staff": True},
        {"is_superuser": True},
        {"role": "admin", "is_staff": True},
    ],
)
def test_register_can_never_raise_the_role(anon_client, escalation):
    response = register(anon_client, **escalation)
    assert response.status_code == 201
    user = User.objects.get(email="new.customer@example.com")
    assert (user.role, user.is_staff, user.is_superuser) == ("customer", False, False)


def test_register_duplicate_email_is_400_whatever_the_case(anon_client):
    UserFactory(email="taken@example.com")
    response = register(anon_client, email="Taken@Example.COM")
    assert_error(response, 400)
    assert "email" in response.json()["errors"]
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


@pytest.mark.parametrize("password", ["short", "12345678901", "password123"])
def test_register_weak_password_is_400_and_creates_nothing(anon_client, password):
    response = register(anon_client, password=password)
    assert_error(response, 400)
    assert "password" in response.json()["errors"]
    assert not User.objects.exists()


def test_register_password_similar_to_email_is_400(anon_client):
    response = register(anon_client, email="anaclaudia@example.com", password="anaclaudia")
    assert_error(response, 400)


@pytest.mark.parametrize("cpf", ["529.982.247-24", "11111111111", "abc", "1234"])
def test_register_invalid_cpf_is_400(anon_client, cpf):
    response = register(anon_client, cpf=cpf)
    assert_error(response, 400)
    assert "cpf" in response.json()["errors"]
    assert not User.objects.exists()


def test_register_never_confirms_that_a_cpf_is_registered(anon_client, caplog):
    owner = UserFactory(cpf="52998224725")
    free = register(anon_client, email="free@example.com", cpf="111.444.777-35")
    taken = register(anon_client, email="taken@example.com", cpf="529.982.247-25")
    # The same answer for a free and a registered CPF: nothing tells them apart.
    assert (free.status_code, taken.status_code) == (201, 201)
    assert set(free.json()) == set(taken.json())
    assert b"CPF" not in taken.content and b"cpf" not in taken.content
    # The registered CPF stays with its owner; the new account goes without it.
    assert User.objects.get(email="taken@example.com").cpf is None
    assert User.objects.get(pk=owner.pk).cpf == "52998224725"
    assert User.objects.get(email="free@example.com").cpf == "11144477735"
    assert "CPF already linked" in caplog.text and "52998224725" not in caplog.text


def test_administrators_are_told_a_cpf_is_taken(admin_client):
    UserFactory(cpf="52998224725")
    body = {
        "email": "x@example.com",
        "password": "a-strong-passphrase",
        "first_name": "X",
        "last_name": "Y",
        "cpf": "52998224725",
    }
    response = admin_client.post("/api/users", body, format="json")
    assert_error(response, 400)
    assert "cpf" in response.json()["errors"]


def test_register_without_cpf_twice_is_fine(anon_client):
    assert register(anon_client).status_code == 201
    assert register(anon_client, email="second@example.com", cpf="").status_code == 201
    assert list(User.objects.values_list("cpf", flat=True)) == [None, None]


@pytest.mark.parametrize("missing", ["email", "password", "first_name", "last_name"])
def test_register_missing_field_is_400(anon_client, missing):
    body = {
        "email": "x@example.com",
        "password": "a-strong-passphrase",
        "first_name": "A",
        "last_name": "B",
    }
    del body[missing]
    response = anon_client.post("/api/auth/register", body, format="json")
    assert_error(response, 400)
    assert missing in response.json()["errors"]


def test_malformed_json_is_400_not_500(anon_client):
    response = anon_client.post("/api/auth/register", '{"email": ', content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_non_object_json_is_400(anon_client):
    response = anon_client.post("/api/auth/register", "[1, 2]", content_type="application/json")
    assert_error(response, 400)


def test_login_returns_tokens_that_authenticate(anon_client, customer):
    response = login(anon_client, customer.email.upper())
    assert response.status_code == 200
    tokens = response.json()
    assert set(tokens) == {"access", "refresh"}
    anon_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    me = anon_client.get("/api/sessions/current")
    assert me.status_code == 200
    assert me.json()["email"] == customer.email


def test_login_wrong_password_is_401(anon_client, customer):
    assert_error(login(anon_client, customer.email, "wrong-password"), 401)


def test_login_unknown_email_is_401(anon_client, db):
    assert_error(login(anon_client, "nobody@example.com"), 401)


def test_login_inactive_user_is_401(anon_client):
    user = UserFactory(is_active=False)
    assert_error(login(anon_client, user.email), 401)


def test_refresh_rotates_and_the_old_refresh_token_dies(anon_client, customer):
    tokens = login(anon_client, customer.email).json()
    first = anon_client.post(
        "/api/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json"
    )
    assert first.status_code == 200
    assert set(first.json()) == {"access", "refresh"}
    assert first.json()["refresh"] != tokens["refresh"]
    reused = anon_client.post(
        "/api/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json"
    )
    assert_error(reused, 401, "token_not_valid")


def test_verify_accepts_a_good_token_and_rejects_garbage(anon_client, customer):
    tokens = login(anon_client, customer.email).json()
    ok = anon_client.post("/api/auth/token/verify", {"token": tokens["access"]}, format="json")
    assert ok.status_code == 200
    bad = anon_client.post("/api/auth/token/verify", {"token": "garbage"}, format="json")
    assert_error(bad, 401, "token_not_valid")


def test_refresh_after_logout_is_401(anon_client, customer):
    tokens = login(anon_client, customer.email).json()
    out = anon_client.post("/api/auth/logout", {"refresh": tokens["refresh"]}, format="json")
    assert out.status_code == 204
    again = anon_client.post(
        "/api/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json"
    )
    assert_error(again, 401, "token_not_valid")


def test_logout_with_a_garbage_refresh_token_is_401(anon_client, db):
    assert_error(anon_client.post("/api/auth/logout", {"refresh": "nope"}, format="json"), 401)


def test_logout_without_token_or_session_is_400(anon_client, db):
    assert_error(anon_client.post("/api/auth/logout", {}, format="json"), 400)


def test_logout_ends_a_session_login(customer):
    client = APIClient(enforce_csrf_checks=False)
    client.force_login(customer)
    assert client.get("/api/sessions/current").status_code == 200
    assert client.post("/api/auth/logout", {}, format="json").status_code == 204
    assert_error(client.get("/api/sessions/current"), 401)


def test_current_session_works_with_a_django_session(customer):
    from django.http import HttpRequest

    client = APIClient()
    # django-axes needs the request every login comes with; the test client sends none.
    assert client.login(request=HttpRequest(), email=customer.email, password=PASSWORD)
    body = client.get("/api/sessions/current").json()
    assert set(body) == DTO_FIELDS
    assert body["id"] == customer.id


def test_current_session_without_credentials_is_401(anon_client, db):
    response = anon_client.get("/api/sessions/current")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer garbage", "Bearer ", "Token abc", "Bearer a.b.c"])
def test_garbage_tokens_are_401(anon_client, db, header):
    anon_client.credentials(HTTP_AUTHORIZATION=header)
    response = anon_client.get("/api/sessions/current")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "code"}


def test_a_refresh_token_is_not_an_access_token(anon_client, customer):
    tokens = login(anon_client, customer.email).json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['refresh']}")
    assert_error(client.get("/api/sessions/current"), 401)


def test_access_token_of_a_deactivated_user_is_401(customer):
    client = client_for(customer)
    User.objects.filter(pk=customer.pk).update(is_active=False)
    assert_error(client.get("/api/sessions/current"), 401)


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_of_one_email_create_one_account():
    def attempt(i):
        return register(APIClient(), email="race@example.com", cpf="529.982.247-25").status_code

    assert sorted(at_once(8, attempt)) == [201] + [400] * 7
    assert User.objects.filter(email="race@example.com").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_with_one_cpf_link_it_once_and_never_name_it():
    def attempt(i):
        return register(APIClient(), email=f"race{i}@example.com", cpf="529.982.247-25")

    responses = at_once(6, attempt)
    assert all(r.status_code in (201, 400) for r in responses)
    assert not any(b"CPF" in r.content or b"cpf" in r.content for r in responses)
    assert User.objects.filter(cpf="52998224725").count() == 1
