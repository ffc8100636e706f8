"""The code depends one way (STYLE.md): no import runs back up the flow.

core (building blocks) <- the apps, in the order of APPS <- storefront (pages) and demo
(seed data) <- config (wiring) and ops (servers, topology, metrics); testing/ (test-only
helpers) is imported by tests and benchmarks, never by code that ships.
"""

import ast
from pathlib import Path

from config.settings.base import BASE_DIR

APPS = [
    "accounts",
    "catalog",
    "delivery",
    "idempotency",
    "carts",
    "orders",
    "tickets",
    "payments",
    "flashsales",
    "chat",
    "storefront",
]
PACKAGES = ["core", *APPS, "demo", "ops", "config", "testing", "bench"]
# Not shipped: tests, the test helpers, the benchmarks (.dockerignore leaves them out).
TOOLING = {"tests", "testing", "bench"}


def production_files(package: str):
    for path in Path(BASE_DIR, package).rglob("*.py"):
        relative = set(path.relative_to(BASE_DIR).parts)
        if not ({"migrations"} | TOOLING) & relative:
            yield path


def imported_packages(package: str) -> set[str]:
    """The other packages that the package's shipped code imports, lazily or not."""
    found = set()
    for path in production_files(package):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found |= {name.split(".")[0] for name in names} & (set(PACKAGES) - {package})
    return found


def graph() -> dict[str, set[str]]:
    return {app: imported_packages(app) & set(APPS) for app in APPS}


def test_core_imports_no_app_and_nothing_above_it():
    assert imported_packages("core") == set()


def test_accounts_is_the_base_app_and_imports_only_core():
    assert imported_packages("accounts") == {"core"}


def test_no_app_imports_the_wiring_the_operations_or_the_demo():
    above = {app: imported_packages(app) & {"config", "ops", "demo"} for app in APPS}
    assert {app: found for app, found in above.items() if found} == {}


def test_no_shipped_module_imports_the_test_helpers():
    shipped = [package for package in PACKAGES if package not in TOOLING]
    offenders = [package for package in shipped if "testing" in imported_packages(package)]
    assert offenders == [], offenders
    top_level = [Path(BASE_DIR, name) for name in ("manage.py", "gunicorn.conf.py")]
    for path in top_level:
        assert "testing" not in path.read_text(), path


def test_the_scan_sees_an_import_where_there_is_one():
    # Guards the guard: a scanner that found nothing would pass every test above.
    assert "core" in imported_packages("orders")
    assert "flashsales" in imported_packages("ops")


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
