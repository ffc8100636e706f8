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


@pytest.fixture(scope="module")
def schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_public_reads_allow_anonymous_callers_and_writes_do_not(schema):
    paths = schema["paths"]
    for path in ["/api/products", "/api/products/{id}", "/api/categories"]:
        assert {} in paths[path]["get"]["security"], path
    assert {} not in paths["/api/products"]["post"]["security"]
    assert {} not in paths["/api/orders"]["get"]["security"]
    assert {} in paths["/api/auth/register"]["post"]["security"]


def test_every_operation_documents_its_error_answers(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            assert {"400", "503"} <= set(responses), (method, path)
            error = responses["400"]["content"]["application/json"]["schema"]["$ref"]
            assert error == "#/components/schemas/ValidationError"
    paths = schema["paths"]
    assert {"401", "404"} <= set(paths["/api/orders/{id}"]["get"]["responses"])
    assert "403" in paths["/api/products"]["post"]["responses"]  # customers may not
    assert "409" in paths["/api/carts/{id}/purchase"]["post"]["responses"]
    assert "409" in paths["/api/categories/{id}"]["delete"]["responses"]
    assert "429" in paths["/api/auth/token"]["post"]["responses"]
    assert "401" not in paths["/api/auth/register"]["post"]["responses"]  # no authenticator


def test_the_first_timeline_event_fits_the_status_enum(schema, customer_client, customer):
    from carts.services import cart_item_add, cart_purchase
    from catalog.tests.factories import ProductFactory

    cart_item_add(cart=customer.cart, product_id=ProductFactory().pk, quantity=1)
    order = cart_purchase(cart=customer.cart).order
    first = customer_client.get(f"/api/orders/{order.pk}").json()["timeline"][0]
    event = schema["components"]["schemas"]["OrderEvent"]["properties"]["from_status"]
    assert first["from_status"] is None and event.get("nullable") is True


def test_string_parameters_and_fields_are_documented_nul_free(schema):
    search = next(
        p for p in schema["paths"]["/api/products"]["get"]["parameters"] if p["name"] == "search"
    )
    assert search["schema"]["pattern"] == "^[^\\u0000]*$"
    register = schema["components"]["schemas"]["RegisterRequest"]["properties"]
    assert register["password"]["pattern"] == "^[^\\u0000]*$"


def test_page_size_is_documented_with_its_bounds(schema):
    params = {p["name"]: p for p in schema["paths"]["/api/products"]["get"]["parameters"]}
    assert params["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
