"""Security headers on every page, and the pages still work under them in a real browser."""

import pytest

from accounts.tests.factories import PASSWORD, UserFactory


def test_every_answer_carries_csp_and_permissions_policy(anon_client, db):
    for path in ["/api/products", "/api/docs", "/admin/login/", "/health/live"]:
        response = anon_client.get(path)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp, path
        assert "frame-ancestors 'none'" in csp
        assert "'unsafe-inline'" not in csp
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "payment=()" in policy


def test_browsable_api_login_lands_on_the_signed_in_user(db):
    from django.test import Client

    customer = UserFactory()
    client = Client()
    response = client.post(
        "/api-auth/login/", {"username": customer.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1] == ("/api/sessions/current", 302)
    assert response.status_code == 200
    assert customer.email in response.content.decode()


@pytest.fixture
def csp_violations(page):
    """Console messages in which Chromium reports what the policy refused."""
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_swagger_and_browsable_api_work_under_the_policy(
    live_server, page, csp_violations, admin_page, tmp_path
):
    admin = admin_page.admin
    page.goto(f"{live_server.url}/admin/catalog/product/add/")
    page.locator("#id_name").press_sequentially("Echo Dot")
    assert page.input_value("#id_slug") == "echo-dot"  # the admin's own scripts ran
    page.goto(f"{live_server.url}/admin/catalog/product/")
    page.wait_for_selector("#changelist")

    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)  # Swagger UI rendered
    assert page.locator(".opblock").count() > 10
    page.screenshot(path=str(tmp_path / "swagger.png"))

    page.goto(f"{live_server.url}/api/products")
    page.wait_for_selector(".response-info")  # the browsable API page
    page.click(".navbar .dropdown-toggle")  # the user menu
    page.click("text=Log out")  # the browsable API's own inline handler, allowed by hash
    page.wait_for_selector("text=Log in")
    page.goto(f"{live_server.url}/api-auth/login/")
    page.fill("#id_username", admin.email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/api/sessions/current")
    assert admin.email in page.inner_text(".response-info")
    assert csp_violations == []
