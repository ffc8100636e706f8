import pytest
from django.test import Client

from accounts.models import User
from accounts.tests.factories import AdminFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_admin_searches_users_by_email_and_cpf(staff_browser):
    UserFactory(email="findme@example.com", cpf="52998224725")
    UserFactory(email="other@example.com")
    by_email = staff_browser.get("/admin/accounts/user/", {"q": "findme"})
    assert b"findme@example.com" in by_email.content
    assert b"other@example.com" not in by_email.content
    by_cpf = staff_browser.get("/admin/accounts/user/", {"q": "52998224725"})
    assert b"findme@example.com" in by_cpf.content


def test_admin_filters_users_by_role(staff_browser):
    UserFactory(email="shopper@example.com")
    AdminFactory(email="second.admin@example.com")
    response = staff_browser.get("/admin/accounts/user/", {"role__exact": "customer"})
    assert b"shopper@example.com" in response.content
    assert b"second.admin@example.com" not in response.content


def test_change_page_never_shows_the_password_hash(staff_browser):
    user = UserFactory()
    response = staff_browser.get(f"/admin/accounts/user/{user.pk}/change/")
    assert response.status_code == 200
    stored = User.objects.get(pk=user.pk).password
    rest = stored.partition("$")[2]
    assert rest[-12:].encode() not in response.content
    assert b"Set a new password" in response.content


def test_admin_add_form_creates_a_customer_with_a_normalised_cpf(staff_browser):
    response = staff_browser.post(
        "/admin/accounts/user/add/",
        {
            "email": "Added@Example.com",
            "first_name": "A",
            "last_name": "B",
            "role": "customer",
            "cpf": "529.982.247-25",
            "password1": "a-strong-passphrase",
            "password2": "a-strong-passphrase",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content
    user = User.objects.get(email="added@example.com")
    assert user.cpf == "52998224725"
    assert not user.is_staff


def test_customers_cannot_enter_the_admin():
    client = Client()
    client.force_login(UserFactory())
    assert client.get("/admin/").status_code == 302
