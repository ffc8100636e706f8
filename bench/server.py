"""Start the shop under a real server (gunicorn WSGI or uvicorn ASGI) for a benchmark."""

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from config.testing.servers import free_port

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, env: dict) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**os.environ, **env},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout


@contextlib.contextmanager
def serve(kind: str, env: dict, workers: int = 2):
    """Yield the port of a running server; stop it afterwards."""
    port = free_port()
    if kind == "gunicorn":
        command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", str(workers),
                   "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--keep-alive", "30"]  # fmt: skip
    elif kind == "uvicorn":
        command = [sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(port),
                   "--workers", str(workers), "--log-level", "warning", "--lifespan", "off",
                   "--no-access-log"]  # fmt: skip
    else:
        raise ValueError(kind)
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, stderr=subprocess.DEVNULL
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


@contextlib.contextmanager
def bench_environment(postgres: bool, **extra: str):
    """Yield the environment of a production-like shop on a fresh, migrated database.

    SQLite in a temporary file, or a throw-away PostgreSQL cluster; removed afterwards.
    """
    import secrets
    import tempfile

    from config.testing.servers import PostgresCluster

    cluster = PostgresCluster().start() if postgres else None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            if cluster:
                import psycopg

                with psycopg.connect(cluster.url("postgres"), autocommit=True) as conn:
                    conn.execute("CREATE DATABASE shop")
            env = {
                "DJANGO_SETTINGS_MODULE": "config.settings.production",
                "SECRET_KEY": secrets.token_urlsafe(64),
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SECURE_SSL_REDIRECT": "false",
                "DATABASE_URL": cluster.url()
                if cluster
                else f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
                **extra,
            }
            manage("migrate", "--noinput", env=env)
            yield env
    finally:
        if cluster:
            cluster.stop()
