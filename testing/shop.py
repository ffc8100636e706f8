"""The shop under real servers, as separate processes: for end-to-end tests and benchmarks."""

import contextlib
import secrets
import subprocess
import sys
import time
import urllib.request

from ops import topology
from ops.servers import child_environment, free_port
from ops.topology import ROOT


def manage(*args: str, env: dict, timeout: float = 300) -> str:
    """`manage.py` for a test or a benchmark: its output captured and returned."""
    return topology.manage(*args, env=env, capture=True, timeout=timeout)


def production_environment(*, database_url: str, redis_url: str, **extra: str) -> dict:
    """The environment of a production shop on loopback, over plain HTTP, migrated."""
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOW_SANDBOX_PAYMENTS": "true",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        **extra,
    }
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


def flash_sale_setup(*, units: int, customers: int) -> str:
    """Code for `manage.py shell -c`: a sale of one drop of `units` phones, open now, and
    `customers` customers. It leaves `result = {"sale": id, "tokens": [access, ...]}`;
    callers add to it and print it (`print(json.dumps(result))`)."""
    return f"""
import json
from datetime import timedelta
from django.utils import timezone
from accounts.models import User
from accounts.tokens import token_pair_for
from catalog.models import Category, Product
from flashsales.services import flash_sale_create
category = Category.objects.create(name="Phones", slug="phones")
phone = Product.objects.create(name="Phone", slug="phone", sku="PHONE", price="5000.00",
                               stock={units}, category=category)
sale = flash_sale_create(product=phone, units_per_drop={units}, drops=1,
                         first_drop_at=timezone.now() - timedelta(minutes=1))
User.objects.bulk_create(User(email=f"r{{i}}@rush.local") for i in range({customers}))
rushers = User.objects.filter(email__endswith="@rush.local").order_by("id")
result = {{"sale": sale.pk, "tokens": [str(token_pair_for(u).access_token) for u in rushers]}}
"""
