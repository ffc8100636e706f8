"""Project-wide fixtures: API clients per role, throw-away PostgreSQL and Redis servers.

`pytest` runs the suite on SQLite; `pytest --postgres` runs the same tests on a throw-away
PostgreSQL cluster started here from the machine's binaries.
"""

import contextlib
import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from ops.servers import PostgresCluster, RedisServer, ServerUnavailable
from testing.clients import client_for
from testing.shop import create_database, manage, sqlite_copy


def pytest_addoption(parser):
    parser.addoption(
        "--postgres",
        action="store_true",
        help="run the suite on a throw-away PostgreSQL cluster instead of SQLite",
    )


def _start(server_class, required: bool):
    try:
        return server_class().start()
    except ServerUnavailable as exc:
        # CI installs every server: there a missing one fails the run instead of skipping.
        if required or os.environ.get("CI"):
            pytest.fail(str(exc), pytrace=False)
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def postgres_cluster(request):
    cluster = _start(PostgresCluster, required=request.config.getoption("--postgres"))
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def redis_server():
    server = _start(RedisServer, required=False)
    yield server
    server.stop()


def _use_database(url: str) -> None:
    """Point the default connection at another database before any test database exists."""
    from django.conf import settings
    from django.db import connections

    from core.persistence import database_config

    default = settings.DATABASES["default"]
    default.clear()
    default.update(database_config(url, conn_max_age=0, sqlite_timeout=20))
    connections.configure_settings(settings.DATABASES)
    with contextlib.suppress(AttributeError):  # no connection was opened yet
        del connections["default"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, django_db_modify_db_settings_parallel_suffix):
    if request.config.getoption("--postgres"):
        _use_database(request.getfixturevalue("postgres_cluster").url())


def _migrate(url: str) -> None:
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url}
    manage("migrate", "--noinput", "--verbosity", "0", env=env)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """An SQLite file migrated once per run, which each shop run as its own process copies
    (a fresh migration costs seconds; a copy, milliseconds)."""
    path = tmp_path_factory.mktemp("template") / "shop.sqlite3"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_template(postgres_cluster) -> str:
    """The same on the throw-away cluster: a database that new ones are created from."""
    create_database(postgres_cluster, "shop_template")
    _migrate(postgres_cluster.url("shop_template"))
    return "shop_template"


@pytest.fixture
def migrated_sqlite_url(sqlite_template, tmp_path) -> str:
    """A migrated SQLite database of its own, for a shop run in the embedded mode."""
    return sqlite_copy(sqlite_template, tmp_path / "shop.sqlite3")


@pytest.fixture
def server_database_url(request, tmp_path) -> str:
    """A migrated database of its own, apart from the test database, for a shop run as its
    own process: on the run's backend, a copy of the run's template."""
    if not request.config.getoption("--postgres"):
        return request.getfixturevalue("migrated_sqlite_url")
    import secrets

    template = request.getfixturevalue("postgres_template")
    cluster = request.getfixturevalue("postgres_cluster")
    return create_database(cluster, f"server_{secrets.token_hex(4)}", template=template)


@pytest.fixture
def use_redis(settings, redis_server):
    """Switch cache and REDIS_URL to the throw-away Redis for one test."""
    settings.REDIS_URL = redis_server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
        }
    }
    cache.clear()
    return redis_server


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counters live in the cache; no test inherits another's. The logout denylist
    starts as a running shop's does, copied into the cache (accounts/tokens.py); the tests of
    a cache that lost it clear it themselves."""
    from accounts.tokens import LOADED

    cache.clear()
    cache.set(LOADED, True, timeout=None)


@pytest.fixture
def mid_minute(monkeypatch):
    """Throttles and the claim handler count at one moment, 30 s into a minute: a test's
    requests never straddle the edge of a clock-aligned window (core/throttles.py)."""
    import core.throttles
    import flashsales.asgi

    moment = time.time() // 60 * 60 + 30
    monkeypatch.setattr(core.throttles, "clock", lambda: moment)
    monkeypatch.setattr(
        flashsales.asgi, "time", SimpleNamespace(time=lambda: moment, monotonic=time.monotonic)
    )
    return moment


CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps dialling out of this closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} not found (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # around it are still plain synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def admin_page(live_server, page):
    """A browser page signed in to the back office through its login form."""
    from accounts.tests.factories import PASSWORD, AdminFactory

    admin = AdminFactory()
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", admin.email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("text=Site administration")
    page.admin = admin
    return page


@pytest.fixture
def customer(db):
    from accounts.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def admin(db):
    from accounts.tests.factories import AdminFactory

    return AdminFactory()


@pytest.fixture
def staff_browser(admin):
    """A Django test client with an administrator's session, for the back office."""
    from django.test import Client

    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def anon_client():
    return APIClient()


@pytest.fixture
def customer_client(customer):
    return client_for(customer)


@pytest.fixture
def admin_client(admin):
    return client_for(admin)
