"""Staff's second factor (TOTP): asked at the API login and the admin login once an
administrator has a device, required of every administrator with STAFF_REQUIRE_2FA (one
without a device is sent to enrolment), and a wrong code is a failed login."""

import re

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD, AdminFactory, UserFactory

pytestmark = pytest.mark.django_db


def code_of(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.t0 -= offset * device.step  # a later step's code, for a second sign-in
    return f"{totp.token():0{device.digits}d}"


def enrolled_admin():
    admin = AdminFactory(email="staff@example.com")
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    return admin, device


def api_login(email, password=PASSWORD, **extra):
    return APIClient().post(
        "/api/auth/token", {"email": email, "password": password, **extra}, format="json"
    )


def test_an_enrolled_administrator_needs_the_current_code_for_a_token(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own pause after a wrong code
    admin, device = enrolled_admin()
    missing = api_login(admin.email)
    assert (missing.status_code, missing.json()["code"]) == (400, "otp_required")
    wrong = api_login(admin.email, otp="000000" if code_of(device) != "000000" else "111111")
    assert (wrong.status_code, wrong.json()["code"]) == (400, "otp_invalid")
    right = api_login(admin.email, otp=code_of(device))
    assert right.status_code == 200 and right.json()["access"]
    replayed = api_login(admin.email, otp=code_of(device))  # the same code, again
    assert (replayed.status_code, replayed.json()["code"]) == (400, "otp_invalid")


def test_a_wrong_password_says_nothing_of_the_second_factor():
    admin, _ = enrolled_admin()
    answer = api_login(admin.email, password="guess")
    assert (answer.status_code, answer.json()["code"]) == (401, "no_active_account")


def test_with_the_requirement_an_administrator_without_a_device_gets_no_token(settings):
    settings.STAFF_REQUIRE_2FA = True
    admin = AdminFactory(email="new-staff@example.com")
    answer = api_login(admin.email, otp="123456")
    assert (answer.status_code, answer.json()["code"]) == (400, "otp_required")
    assert api_login(UserFactory().email).status_code == 200  # customers have no second factor


def test_without_the_requirement_an_administrator_without_a_device_signs_in(settings):
    settings.STAFF_REQUIRE_2FA = False
    assert api_login(AdminFactory().email).status_code == 200


def test_guessing_codes_meets_the_login_lockout(settings):
    settings.AXES_FAILURE_LIMIT = 3
    admin, device = enrolled_admin()
    for _ in range(3):
        api_login(admin.email, otp="999999" if code_of(device) != "999999" else "888888")
    locked = api_login(admin.email, otp=code_of(device))
    assert (locked.status_code, locked.json()["code"]) == (429, "login_locked")


def admin_login(client, email, otp=""):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": email, "password": PASSWORD, "otp_token": otp},
    )


def test_the_admin_login_asks_an_enrolled_administrator_for_the_code():
    admin, device = enrolled_admin()
    browser = Client()
    page = browser.get("/admin/login/")
    assert b'name="otp_token"' in page.content
    refused = admin_login(browser, admin.email)
    assert refused.status_code == 200 and "autenticador" in refused.content.decode()
    assert browser.get("/admin/").status_code == 302  # still the login page
    signed_in = admin_login(browser, admin.email, code_of(device))
    assert signed_in.status_code == 302
    assert browser.get("/admin/").status_code == 200


def test_with_the_requirement_an_administrator_enrols_before_anything_else(settings):
    settings.STAFF_REQUIRE_2FA = True
    admin = AdminFactory(email="new-staff@example.com")
    browser = Client()
    assert admin_login(browser, admin.email).status_code == 302  # the password is right
    index = browser.get("/admin/", follow=True)
    assert index.redirect_chain[-1][0] == "/admin/otp/enrol/"
    page = index.content.decode()
    assert 'id="otp-qr" src="data:image/svg+xml' in page
    secret = re.search(r'id="otp-secret">([A-Z2-7]+)<', page).group(1)
    device = TOTPDevice.objects.get(user=admin, confirmed=False)

    wrong = browser.post("/admin/otp/enrol/", {"otp_token": "12345"})
    assert wrong.status_code == 200 and secret.encode() in wrong.content  # the same key
    done = browser.post("/admin/otp/enrol/", {"otp_token": code_of(device)})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert browser.get("/admin/").status_code == 200
    assert TOTPDevice.objects.get(user=admin).confirmed
    # From now on its code is asked for at every sign-in.
    assert api_login(admin.email).json()["code"] == "otp_required"
    device.refresh_from_db()
    assert api_login(admin.email, otp=code_of(device, offset=1)).status_code == 200


def test_customers_cannot_open_enrolment():
    browser = Client()
    browser.force_login(UserFactory())
    assert browser.get("/admin/otp/enrol/").status_code == 302
    assert not TOTPDevice.objects.exists()


def test_a_password_only_login_gives_an_enrolled_administrator_no_way_around_the_code():
    admin, _ = enrolled_admin()
    pages = Client()
    refused = pages.post("/api-auth/login/", {"username": admin.email, "password": PASSWORD})
    assert refused.status_code == 200 and "código do autenticador" in refused.content.decode()
    # A session made some other way without the code (force_login) is not the API's either.
    pages.force_login(admin)
    assert pages.get("/api/users").status_code in (401, 403)
    assert pages.get("/admin/").status_code == 302
    customer = Client()
    assert (
        customer.post(
            "/api-auth/login/", {"username": UserFactory().email, "password": PASSWORD}
        ).status_code
        == 302
    )  # customers sign in as before


def test_an_unverified_session_cannot_replace_the_authenticator_nor_open_a_socket():
    from channels.testing import WebsocketCommunicator

    from config.asgi import application
    from testing.clients import handshake
    from testing.concurrency import run_async

    admin, device = enrolled_admin()
    pages = Client()
    pages.force_login(admin)  # a password-only session
    assert pages.get("/admin/otp/enrol/").status_code == 302
    assert TOTPDevice.objects.get(user=admin).pk == device.pk  # untouched
    cookie = pages.cookies["sessionid"].value
    headers = [(b"cookie", f"sessionid={cookie}".encode()), (b"origin", b"http://localhost")]
    headers.append((b"host", b"localhost"))

    async def scenario():
        return await handshake(WebsocketCommunicator(application, "/ws/orders/", headers=headers))

    assert run_async(scenario) == 4401
