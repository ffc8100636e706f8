"""Production settings and the real servers, each started as a separate process."""

import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from wsgiref.util import setup_testing_defaults

import pytest

from config.settings.base import BASE_DIR
from ops.servers import child_environment, free_port


def run(args, env, timeout=120):
    environment = child_environment(**env)
    return subprocess.run(
        args, cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=timeout
    )


def production_env(tmp_path, **extra):
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "shop.example.com",
        "SHOP_URL": "https://shop.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",  # never contacted by `check`
        "PAYMENT_PROVIDER": "mercadopago",
        "MERCADOPAGO_ACCESS_TOKEN": secrets.token_urlsafe(32),
        "MERCADOPAGO_WEBHOOK_SECRET": secrets.token_urlsafe(32),
        **extra,
    }


def test_production_settings_pass_check_deploy(tmp_path):
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("secret", [None, "short", "django-insecure-" + "x" * 60])
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, secret):
    env = production_env(tmp_path)
    if secret is None:
        del env["SECRET_KEY"]
    else:
        env["SECRET_KEY"] = secret
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_redis(tmp_path):
    env = production_env(tmp_path)
    del env["REDIS_URL"]
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0
    assert "REDIS_URL must be set in production" in result.stderr


@pytest.mark.parametrize("provider", [None, "sandbox"])
def test_production_refuses_the_sandbox_provider_unless_allowed(tmp_path, provider):
    env = production_env(tmp_path)
    del env["PAYMENT_PROVIDER"]
    if provider:
        env["PAYMENT_PROVIDER"] = provider
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0
    assert "PAYMENT_PROVIDER is the sandbox" in result.stderr
    allowed = run([sys.executable, "manage.py", "check"], env | {"ALLOW_SANDBOX_PAYMENTS": "true"})
    assert allowed.returncode == 0, allowed.stderr


def test_wsgi_application_serves_requests():
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from config.wsgi import application

    environ = {"PATH_INFO": "/health/live", "REQUEST_METHOD": "GET"}
    setup_testing_defaults(environ)
    statuses = []
    # As Django's test client does: never let a request close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(application(environ, lambda status, headers: statuses.append(status)))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert statuses == ["200 OK"]
    assert b'"ok"' in body


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_uvicorn_serves_the_asgi_app_and_logs_its_backend(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
    }
    assert run([sys.executable, "manage.py", "migrate", "--noinput"], env).returncode == 0
    port = free_port()
    environment = child_environment(**env)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--port",
            str(port),
            "--lifespan",
            "off",
        ],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _ = get(f"{base}/health/live")
                break
            except OSError:
                assert time.monotonic() < deadline, "uvicorn did not start"
                time.sleep(0.2)
        assert status == 200
        assert get(f"{base}/health/ready")[0] == 200
        status, body = get(f"{base}/api/sessions/current")
        assert status == 401
        assert b'"not_authenticated"' in body
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    assert "Database backend: sqlite" in output


def test_gunicorn_reads_the_production_defaults_from_the_working_directory(tmp_path):
    """`gunicorn` alone serves config.wsgi with sync workers, one per core (WEB_CONCURRENCY)."""
    result = run(
        [sys.executable, "-m", "gunicorn", "--print-config"],
        production_env(tmp_path, WEB_CONCURRENCY="3"),
    )
    assert result.returncode == 0, result.stderr
    config = {
        name.strip(): value.strip()
        for name, value in (line.split(" = ", 1) for line in result.stdout.splitlines())
    }
    assert config["wsgi_app"] == "config.wsgi:application"
    assert (config["worker_class"], config["workers"]) == ("sync", "3")
