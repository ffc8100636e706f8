"""Apps depend one way (STYLE.md): no import runs back up the flow."""

import ast
from pathlib import Path

from config.settings.base import BASE_DIR

APPS = ["accounts", "catalog", "idempotency", "carts", "orders", "tickets", "payments",
        "flashsales", "chat"]  # fmt: skip


def imported_apps(app: str) -> set[str]:
    """The other apps that the app's own code (tests and migrations aside) imports."""
    found = set()
    for path in Path(BASE_DIR, app).rglob("*.py"):
        if {"tests", "migrations"} & set(path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found |= {name.split(".")[0] for name in names} & (set(APPS) - {app})
    return found


def graph() -> dict[str, set[str]]:
    return {app: imported_apps(app) for app in APPS if Path(BASE_DIR, app).is_dir()}


def test_accounts_is_the_base_and_imports_no_other_app():
    assert imported_apps("accounts") == set()


def test_no_two_apps_import_each_other_even_indirectly():
    edges = graph()

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(
            nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt}))
            for nxt in edges.get(start, ())
        )

    cycles = [app for app in edges if reaches(app, app, {app})]
    assert cycles == [], {app: edges[app] for app in cycles}


def test_the_user_model_api_gives_a_customer_a_cart(db):
    from accounts.models import User

    customer = User.objects.create_user("plain@example.com", "a-strong-passphrase")
    admin = User.objects.create_superuser("boss@example.com", "a-strong-passphrase")
    assert customer.cart.pk
    assert not hasattr(admin, "cart")
