import pytest

from accounts.models import User
from accounts.tests.factories import AdminFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_admin_lists_users_paginated_with_admin_fields(admin_client, admin):
    UserFactory.create_batch(3)
    response = admin_client.get("/api/users")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 4
    assert set(body["results"][0]) == {
        "id",
        "email",
        "first_name",
        "last_name",
        "role",
        "cart_id",
        "email_verified",
        "language",
        "cpf",
        "is_guest",
        "is_active",
        "date_joined",
    }


def test_admin_filters_users_by_email_cpf_and_role(admin_client):
    maria = UserFactory(email="maria@example.com", cpf="52998224725")
    UserFactory(email="mario@example.com", cpf="11144477735")
    AdminFactory(email="maria.staff@example.com")

    def emails(query):
        response = admin_client.get("/api/users", query)
        assert response.status_code == 200
        return sorted(u["email"] for u in response.json()["results"])

    assert emails({"email": "MARIA"}) == ["maria.staff@example.com", "maria@example.com"]
    assert emails({"cpf": "529.982.247-25"}) == [maria.email]
    assert emails({"email": "maria", "role": "customer"}) == [maria.email]
    assert emails({"cpf": "00000000000"}) == []


def test_unknown_role_filter_is_400(admin_client):
    response = admin_client.get("/api/users", {"role": "superhero"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_choice"


def test_admin_creates_an_admin_who_is_staff(admin_client):
    response = admin_client.post(
        "/api/users",
        {
            "email": "boss@example.com",
            "password": "a-strong-passphrase",
            "first_name": "B",
            "last_name": "C",
            "role": "admin",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    user = User.objects.get(email="boss@example.com")
    assert (user.role, user.is_staff) == ("admin", True)
    assert response.json()["role"] == "admin"


def test_admin_creating_a_user_with_bad_input_gets_400_and_nothing_changes(admin_client):
    response = admin_client.post(
        "/api/users",
        {
            "email": "not-an-email",
            "password": "x",
            "first_name": "",
            "last_name": "C",
            "role": "god",
        },
        format="json",
    )
    assert response.status_code == 400
    assert {"email", "role"} <= set(response.json()["errors"])
    assert User.objects.count() == 1


def test_customer_on_admin_endpoint_is_403(customer_client):
    for response in (
        customer_client.get("/api/users"),
        customer_client.post("/api/users", {"email": "a@b.co"}, format="json"),
    ):
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
    assert User.objects.count() == 1


def test_anonymous_on_admin_endpoint_is_401(anon_client):
    assert anon_client.get("/api/users").status_code == 401
    assert anon_client.post("/api/users", {}, format="json").status_code == 401


def test_users_path_has_no_trailing_slash(admin_client):
    assert admin_client.get("/api/users/").status_code == 404
