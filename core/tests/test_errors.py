import pytest

pytestmark = pytest.mark.django_db


def test_unknown_api_path_is_json_404(anon_client):
    response = anon_client.get("/api/does-not-exist")
    assert response.status_code == 404
    assert response.json() == {"detail": "Não encontrado.", "code": "not_found"}


def test_wrong_method_is_405_in_the_error_shape(anon_client):
    response = anon_client.get("/api/auth/register")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_unsupported_media_type_is_415_in_the_error_shape(anon_client):
    response = anon_client.post("/api/auth/register", "<xml/>", content_type="application/xml")
    assert response.status_code == 415
    assert set(response.json()) == {"detail", "code"}


def test_a_locked_or_down_database_is_503_not_500(anon_client, monkeypatch):
    from django.db import OperationalError

    from accounts import services

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "user_register", locked)
    body = {
        "email": "a@example.com",
        "password": "a-strong-passphrase",
        "first_name": "A",
        "last_name": "B",
    }
    response = anon_client.post("/api/auth/register", body, format="json")
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"
    assert response["Retry-After"] == "1"
