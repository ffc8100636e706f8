"""The shop under real servers, as separate processes: for end-to-end tests and benchmarks."""

import contextlib
import json
import secrets
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from ops import topology
from ops.servers import PostgresCluster, child_environment, free_port
from ops.topology import ROOT


def manage(*args: str, env: dict, timeout: float = 300) -> str:
    """`manage.py` for a test or a benchmark: its output captured and returned."""
    return topology.manage(*args, env=env, capture=True, timeout=timeout)


def call(name: str, *, env: dict, module: str = "testing.setups", **arguments: Any) -> Any:
    """`module`.<name>(**arguments), run inside the shop of `env` (`manage.py shell`), and its
    answer, which travels back as JSON."""
    code = (
        f"import json; from {module} import {name}; "
        f"print(json.dumps({name}(**json.loads({json.dumps(arguments)!r}))))"
    )
    return json.loads(manage("shell", "-v", "0", "-c", code, env=env).strip().splitlines()[-1])


def create_database(cluster: PostgresCluster, name: str, *, template: str | None = None) -> str:
    """A new database on the throw-away cluster (a copy of `template`'s); its URL."""
    import psycopg

    with psycopg.connect(cluster.url("postgres"), autocommit=True) as connection:
        copy = f" TEMPLATE {template}" if template else ""
        connection.execute(f"CREATE DATABASE {name}{copy}")
    return cluster.url(name)


def sqlite_copy(template: Path, path: Path) -> str:
    """A copy of a migrated SQLite database at `path` (SQLite's backup API, so a WAL file
    left beside the template cannot make it stale); its URL."""
    with sqlite3.connect(template) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
    return f"sqlite:///{path}"


def embedded_environment(*, database_url: str) -> dict:
    """The environment of `make run`'s shop (local settings, in-process cache, channel layer
    and tasks) on an already migrated database, without the debug pages."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "CEP_PROVIDER": "none",  # nothing leaves loopback
    }


def production_environment(
    *, database_url: str, redis_url: str, migrate: bool = True, **extra: str
) -> dict:
    """The environment of a production shop on loopback, over plain HTTP, migrated (or,
    with `migrate=False`, on a database that is already: a copy of the run's template)."""
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SHOP_URL": "http://localhost",
        # Throw-away shops' administrators sign in by password (their second factor is
        # accounts/tests/test_second_factor.py's).
        "STAFF_REQUIRE_2FA": "false",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOW_SANDBOX_PAYMENTS": "true",
        "CEP_PROVIDER": "none",  # nothing leaves loopback
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        **extra,
    }
    if migrate:
        manage("migrate", "--noinput", env=env)
    return env


def seed_demo(env: dict) -> dict[str, str]:
    """Load the demo data into a production-settings shop; return {e-mail: password}.

    There the demo accounts get random passwords, which the command prints once.
    """
    return demo_logins(manage("seed_demo", "--allow-production", env={**env, "SEED_DEMO": "true"}))


def demo_logins(output: str) -> dict[str, str]:
    """{e-mail: password} from what `seed_demo` prints ("role  e-mail  /  password")."""
    lines = (line.split() for line in output.splitlines())
    return {words[1]: words[3] for words in lines if len(words) == 4 and words[2] == "/"}


@contextlib.contextmanager
def serve(kind: str, env: dict, workers: int = 2, options: tuple[str, ...] = ()):
    """Yield the port of a running server (gunicorn WSGI or uvicorn ASGI); stop it afterwards.

    `options` go to the server's command line (`--threads 4` for gunicorn, say).
    """
    port = free_port()
    if kind == "gunicorn":
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--keep-alive",
            "30",
            *options,
        ]
    elif kind == "uvicorn":
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--lifespan",
            "off",
            "--no-access-log",
            *options,
        ]
    else:
        raise ValueError(kind)
    process = subprocess.Popen(
        command, cwd=ROOT, env=child_environment(**env), stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"{kind} did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=15)
