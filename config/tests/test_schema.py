import pytest

pytestmark = pytest.mark.django_db


def test_schema_documents_the_api_and_the_bearer_scheme(anon_client):
    response = anon_client.get("/api/schema", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in [
        "/api/auth/register",
        "/api/auth/token",
        "/api/auth/logout",
        "/api/sessions/current",
        "/api/users",
    ]:
        assert path in schema["paths"], path
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_swagger_ui_is_served_with_local_assets(anon_client):
    response = anon_client.get("/api/docs")
    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    assert b"cdn.jsdelivr" not in response.content


def test_schema_validates_without_warnings(tmp_path):
    from django.core.management import call_command

    # --fail-on-warn turns any endpoint or filter drf-spectacular cannot describe into an error.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
    assert "/api/products" in (tmp_path / "schema.yaml").read_text()
