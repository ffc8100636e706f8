"""`manage.py seed_demo`: public demo passwords in the embedded mode, never in production."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from demo import accounts as demo
from testing.shop import demo_logins

pytestmark = pytest.mark.django_db


def seed(*args: str) -> dict[str, str]:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return demo_logins(out.getvalue())


def test_seed_demo_refuses_the_production_settings_unless_allowed(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_demo_accounts_get_random_passwords_printed_once_under_production(settings):
    settings.PRODUCTION = True
    printed = seed("--allow-production")
    for account in [demo.ADMIN, *demo.CUSTOMERS]:
        password = printed[account["email"]]
        assert password != account["password"] and len(password) >= 16
        user = User.objects.get(email=account["email"])
        assert not user.check_password(account["password"]) and user.check_password(password)
    again = seed("--allow-production")
    assert set(again.values()) == {"(unchanged)"}  # never reset, never shown twice


def test_the_embedded_mode_keeps_the_documented_demo_passwords():
    printed = seed()
    assert printed[demo.ADMIN["email"]] == demo.ADMIN["password"]
    assert User.objects.get(email=demo.ADMIN["email"]).check_password(demo.ADMIN["password"])
