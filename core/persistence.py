"""Choose the database at start-up, never in code.

`DATABASE_URL` picks the backend; `manage.py --persistence {sqlite,postgres}` and
`--database-url URL`, given before the command, set it for one run.
"""

import logging
from collections.abc import MutableMapping
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("core.persistence")

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://shop:shop@127.0.0.1:5432/shop"
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "psql"}
CLI_OPTIONS = ("--persistence", "--database-url")

# WAL lets readers run beside the single writer; IMMEDIATE takes the write lock at BEGIN,
# so concurrent writers queue for up to `timeout` seconds instead of failing mid-transaction
# with "database is locked" when they upgrade a read lock.
SQLITE_INIT_COMMAND = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"


def default_sqlite_url() -> str:
    return f"sqlite:///{BASE_DIR / 'db.sqlite3'}"


def backend_of(url: str) -> str:
    """Return "sqlite", "postgres" or the URL's scheme."""
    scheme = urlsplit(url).scheme.lower()
    if scheme.startswith("sqlite"):
        return "sqlite"
    if scheme in POSTGRES_SCHEMES:
        return "postgres"
    return scheme


def apply_cli_options(argv: list[str], environ_: MutableMapping[str, str]) -> list[str]:
    """Consume the persistence options that precede the command and export DATABASE_URL.

    Return argv without them. Raise ValueError on a bad value.
    """
    persistence = url = None
    rest = list(argv[1:])
    while rest and rest[0].split("=", 1)[0] in CLI_OPTIONS:
        name, eq, value = rest.pop(0).partition("=")
        if not eq:
            if not rest:
                raise ValueError(f"{name} needs a value")
            value = rest.pop(0)
        if name == "--persistence":
            persistence = value
        else:
            url = value

    if persistence not in (None, "sqlite", "postgres"):
        raise ValueError(f"--persistence must be sqlite or postgres, not {persistence!r}")
    if url is None and persistence is not None:
        current = environ_.get("DATABASE_URL", "")
        if current and backend_of(current) == persistence:
            url = current
        elif persistence == "sqlite":
            url = default_sqlite_url()
        else:
            url = environ_.get("POSTGRES_URL", DEFAULT_POSTGRES_URL)
    if url is not None:
        if persistence is not None and backend_of(url) != persistence:
            raise ValueError(f"--database-url is not a {persistence} URL")
        environ_["DATABASE_URL"] = url
    return [argv[0], *rest]


def database_config(
    url: str, *, conn_max_age: int, sqlite_timeout: int, health_checks: bool = False
) -> dict:
    """Return a DATABASES entry for the URL, tuned for its backend.

    Health checks (a `SELECT 1` before each request reuses a persistent connection) are off
    by default: they cost a round trip on every request, and without them a connection the
    server dropped fails one request with a 503 (`database_unavailable`), after which
    Django discards it and the next request reconnects.
    """
    backend = backend_of(url)
    if backend not in ("sqlite", "postgres"):
        raise ImproperlyConfigured(
            f"DATABASE_URL scheme {backend!r} is not supported; use sqlite:// or postgres:// "
            "(see README: Why not MongoDB/djongo)."
        )
    config = environ.Env.db_url_config(url)
    # django-prometheus's wrappers of Django's backends count queries and errors.
    config["ENGINE"] = config["ENGINE"].replace(
        "django.db.backends.", "django_prometheus.db.backends."
    )
    if backend == "sqlite":
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": sqlite_timeout,
            "init_command": SQLITE_INIT_COMMAND,
        }
    else:
        config["CONN_MAX_AGE"] = conn_max_age
        config["CONN_HEALTH_CHECKS"] = health_checks
    return config


def describe(config: dict) -> str:
    """Name the backend and where it is, without credentials."""
    if config["ENGINE"].endswith("sqlite3"):
        return f"sqlite ({config['NAME']})"
    return f"postgresql ({config.get('HOST') or 'local socket'}:{config.get('PORT') or 5432}/{config['NAME']})"


def log_backend() -> None:
    from django.conf import settings

    logger.info("Database backend: %s", describe(settings.DATABASES["default"]))
