import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_role_decides_staff_access_whichever_path_saves():
    user = UserFactory()
    user.role = User.Role.ADMIN
    user.save()
    user.refresh_from_db()
    assert user.is_staff
    user.role = User.Role.CUSTOMER
    user.save()
    user.refresh_from_db()
    assert not user.is_staff


def test_database_refuses_a_staff_customer():
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_staff=True)


def test_database_refuses_two_users_with_one_cpf():
    UserFactory(cpf="52998224725")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(cpf="52998224725")


def test_createsuperuser_makes_an_admin(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-strong-passphrase")
    call_command("createsuperuser", "--noinput", "--email", "Root@Example.com")
    user = User.objects.get(email="root@example.com")
    assert (user.role, user.is_staff, user.is_superuser) == ("admin", True, True)


def test_admins_hold_back_office_permissions_and_customers_do_not():
    admin = UserFactory(role=User.Role.ADMIN)
    customer = UserFactory()
    assert admin.has_perm("accounts.change_user")
    assert admin.has_module_perms("accounts")
    assert not customer.has_perm("accounts.change_user")


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    first = User.objects.count()
    call_command("seed_demo")
    assert User.objects.count() == first >= 2
    assert User.objects.filter(role=User.Role.ADMIN).exists()
    assert "admin@shop.localhost" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Maria@Açaí.com.br", "maria@xn--aa-4iaz.com.br"),
        (" ANA@Example.COM ", "ana@example.com"),
        ("no-at-sign", "no-at-sign"),
    ],
)
def test_emails_are_stored_lower_case_with_an_ascii_domain(typed, stored):
    from accounts.managers import normalize_email

    assert normalize_email(typed) == stored


def test_sign_up_with_an_internationalised_domain_shows_it_in_ascii(anon_client, db):
    body = {
        "email": "jose@açaí.com.br",
        "password": "a-strong-passphrase",
        "first_name": "José",
        "last_name": "Açaí",
    }
    response = anon_client.post("/api/auth/register", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["email"] == "jose@xn--aa-4iaz.com.br"
    login = {"email": "jose@açaí.com.br", "password": "a-strong-passphrase"}
    assert anon_client.post("/api/auth/token", login, format="json").status_code == 200
