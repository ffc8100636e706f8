"""Hostile requests get a 4xx in the error shape and change nothing, on every backend."""

import json

import pytest

from accounts.models import User
from carts.services import cart_item_add
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from orders.models import Order

pytestmark = pytest.mark.django_db

DEEP_JSON = "[" * 1000 + "]" * 1000  # 2 KB; json raises RecursionError long before the end


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code, body
    assert isinstance(body["detail"], str) and body["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/auth/token/verify",
        "/api/auth/token/refresh",
        "/api/auth/logout",
        "/api/auth/token",
        "/api/auth/register",
    ],
)
def test_deeply_nested_json_is_a_400_on_public_endpoints(anon_client, path):
    response = anon_client.post(path, DEEP_JSON, content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_deeply_nested_json_is_a_400_on_authenticated_writes(
    admin_client, customer_client, customer
):
    assert_error(
        admin_client.post("/api/products", DEEP_JSON, content_type="application/json"),
        400,
        "parse_error",
    )
    response = customer_client.post(
        f"/api/carts/{customer.cart.pk}/items", DEEP_JSON, content_type="application/json"
    )
    assert_error(response, 400, "parse_error")
    assert not customer.cart.items.exists()


@pytest.mark.parametrize("charset", ["rot13", "base64", "hex", "zlib", "uu"])
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/auth/token", b'{"email": "a@example.com", "password": "x"}'),
        ("GET", "/api/products?search=%C3%A9", b""),
    ],
)
def test_a_charset_that_is_no_text_encoding_is_a_415_under_wsgi_and_asgi(
    charset, method, path, body
):
    """Django would build no request from it (a bare 500 before any middleware)."""
    import asyncio
    import io
    from wsgiref.util import setup_testing_defaults

    from config.asgi import application as asgi_application
    from config.wsgi import application as wsgi_application

    content_type = f"application/json; charset={charset}"
    raw_path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": raw_path,
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    setup_testing_defaults(environ)
    statuses = []
    answer = b"".join(wsgi_application(environ, lambda status, headers: statuses.append(status)))
    assert statuses == ["415 Unsupported Media Type"]
    assert json.loads(answer)["code"] == "unsupported_charset"

    sent = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": raw_path,
        "query_string": query.encode(),
        "headers": [(b"content-type", content_type.encode()), (b"host", b"127.0.0.1")],
    }
    asyncio.run(asgi_application(scope, receive, send))
    assert sent[0]["status"] == 415
    assert json.loads(sent[1]["body"])["code"] == "unsupported_charset"


def test_a_text_charset_still_reaches_the_api(anon_client):
    response = anon_client.generic(
        "GET", "/api/products?search=%C3%A9", content_type="application/json; charset=latin-1"
    )
    assert response.status_code == 200


def test_json_body_over_the_upload_limit_is_a_413(anon_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = '{"token": "' + "x" * 2048 + '"}'
    response = anon_client.post("/api/auth/token/verify", body, content_type="application/json")
    assert_error(response, 413, "request_too_large")


def test_form_body_over_the_upload_limit_is_a_413(anon_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = anon_client.post(
        "/api/auth/register",
        "email=a%40example.com&first_name=" + "x" * 2048,
        content_type="application/x-www-form-urlencoded",
    )
    assert_error(response, 413, "request_too_large")
    assert not User.objects.filter(email="a@example.com").exists()


def test_idempotent_purchase_with_a_body_over_the_limit_is_a_413(
    customer_client, customer, settings
):
    product = ProductFactory(stock=3)
    cart_item_add(cart=customer.cart, product_id=product.pk, quantity=1)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = customer_client.post(
        f"/api/carts/{customer.cart.pk}/purchase",
        "x" * 2048,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert_error(response, 413, "request_too_large")
    assert not Order.objects.exists()
    assert Product.objects.get(pk=product.pk).stock == 3


def test_a_host_header_not_allowed_is_a_json_400_on_the_api(anon_client):
    response = anon_client.get("/api/products", HTTP_HOST="evil.example.com")
    assert_error(response, 400, "bad_request")


@pytest.mark.parametrize(
    "url",
    [
        "/api/tickets/AB%00CD",
        "/api/products/%00",
        "/api/categories/1%00",
        "/api/orders/%001",
        "/api/products?search=%00",
        "/api/products?category=a%00b",
        "/api/categories?search=x%00",
        "/api/orders?customer=%00",
        "/api/users?email=%00",
        "/api/users?cpf=%00",
        "/api/products?%00=1",
    ],
)
def test_a_nul_in_a_path_or_query_string_is_a_400(admin_client, url):
    ProductFactory()
    assert_error(admin_client.get(url), 400, "bad_request")


def test_a_nul_outside_the_api_is_a_plain_400(staff_browser):
    response = staff_browser.get("/admin/accounts/user/?q=%00")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query", ["page_size=10&page_size=x", "min_price=1&min_price=2", "ordering=price&ordering=name"]
)
def test_a_query_parameter_given_twice_is_a_400(anon_client, query):
    assert_error(anon_client.get(f"/api/products?{query}"), 400, "bad_request")


@pytest.mark.parametrize(
    "query",
    [
        "page_size=true",
        "page_size=null",
        "page_size=0",
        "page_size=101",
        "page=0",
        "page=abc",
        "page=-1",
        "page_size=%EF%BC%91",
    ],
)
def test_pagination_parameters_it_cannot_use_are_a_400(anon_client, query):
    response = anon_client.get(f"/api/products?{query}")
    assert_error(response, 400, "invalid")


def test_a_page_past_the_last_is_a_404(anon_client):
    ProductFactory()
    assert anon_client.get("/api/products?page=1&page_size=100").status_code == 200
    assert_error(anon_client.get("/api/products?page=2"), 404, "not_found")


@pytest.mark.parametrize(
    "url",
    [
        "/api/products?min_price=",
        "/api/products?in_stock=",
        "/api/products?ordering=",
        "/api/orders?created_before=",
        "/api/orders?status=",
    ],
)
def test_an_empty_value_for_a_typed_parameter_is_a_400(admin_client, url):
    assert_error(admin_client.get(url), 400, "required")


@pytest.mark.parametrize(
    "url", ["/api/products?search=", "/api/products?category=", "/api/users?email=&cpf="]
)
def test_an_empty_text_parameter_means_no_filter(admin_client, url):
    ProductFactory()
    response = admin_client.get(url)
    assert response.status_code == 200, response.content
    assert response.json()["count"] >= 1
