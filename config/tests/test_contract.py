"""The API keeps its OpenAPI contract: schemathesis against the shop under gunicorn.

The shop runs with the production settings (gunicorn, 2 workers, Redis) on a temporary
database with the demo data; schemathesis generates requests from `/api/schema` and runs
every check (testing/schemathesis.toml lists the two exceptions and why) as an
anonymous client, a customer and an administrator. It must find no server error, no
response that breaks the schema, and no undocumented status code.
"""

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from demo import accounts as demo
from testing.shop import (
    ROOT,
    create_database,
    production_environment,
    seed_demo,
    serve,
    sqlite_copy,
)

pytestmark = pytest.mark.contract

CONFIG = ROOT / "testing" / "schemathesis.toml"
# The three roles run side by side (`runs`), each about half as fast as alone: 80 s each
# generates about 80% of the cases 50 s did one after the other, in half the time.
SECONDS_PER_ROLE = int(os.environ.get("CONTRACT_SECONDS", "80"))
SEED = os.environ.get("CONTRACT_SEED", "20261124")


@pytest.fixture(scope="module")
def viacep():
    """The CEP lookup's provider, on loopback: a 503 would count as a server error."""
    from delivery.tests.fake_viacep import FakeViaCep

    with FakeViaCep() as fake:
        yield fake


@pytest.fixture(scope="module")
def shop_env(request, tmp_path_factory, viacep):
    redis_server = request.getfixturevalue("redis_server")
    if request.config.getoption("--postgres"):
        database_url = request.getfixturevalue("contract_database_url")
    else:
        template = request.getfixturevalue("sqlite_template")
        database_url = sqlite_copy(template, tmp_path_factory.mktemp("contract") / "shop.sqlite3")
    env = production_environment(
        database_url=database_url,
        redis_url=redis_server.url,
        migrate=False,
        # Limits that would answer most generated requests with 429 before any logic runs;
        # they have their own tests (ops/tests/test_shared_limits.py, accounts tests).
        THROTTLE_LOGIN="100000/min",
        THROTTLE_REGISTER="100000/min",
        LOGIN_FAILURE_LIMIT="100000",
        JWT_ACCESS_MINUTES="60",
        CEP_PROVIDER="viacep",
        VIACEP_URL=viacep.url,
        THROTTLE_CEP="100000/min",
    )
    return env, seed_demo(env)


@pytest.fixture(scope="module")
def shop(shop_env):
    with serve("gunicorn", shop_env[0], workers=2) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def contract_database_url(postgres_cluster, postgres_template):
    return create_database(postgres_cluster, "contract", template=postgres_template)


def access_token(base: str, email: str, passwords: dict[str, str]) -> str:
    body = json.dumps({"email": email, "password": passwords[email]}).encode()
    request = urllib.request.Request(
        f"{base}/api/auth/token", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["access"]


def get(base: str, path: str, token: str) -> dict:
    request = urllib.request.Request(f"{base}{path}", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def cart_id(shop, shop_env):
    """The demo customer's cart, which the cart operations are run against."""
    token = access_token(shop, demo.CUSTOMERS[0]["email"], shop_env[1])
    return str(get(shop, "/api/sessions/current", token)["cart_id"])


def schemathesis(base: str, cart_id: str, *options: str) -> subprocess.Popen:
    """Start one schemathesis run against the shop; its output is read when it ends."""
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file",
        str(CONFIG),
        # Every check is on unless the config file turns it off (`--checks` would override it).
        "run",
        f"{base}/api/schema",
        "--workers",
        "2",
        "--max-time",
        str(SECONDS_PER_ROLE),
        "--seed",
        SEED,
        "--request-timeout",
        "20",
        *options,
    ]
    env = {
        **os.environ,
        "CONTRACT_CART_ID": cart_id,
        "SCHEMATHESIS_HOOKS": "testing.schemathesis_hooks",
    }
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


@pytest.fixture(scope="module")
def runs(shop, shop_env, cart_id):
    """The three roles' runs, started together: one schemathesis process keeps about one
    core busy generating while the shop idles, so three side by side explore as much in
    SECONDS_PER_ROLE as one after the other in three times that. They share the demo data:
    the admin's run may deactivate a product or cancel an order the customer's run is using,
    which changes what the other run gets (409, 404), never whether an answer may be a 500
    or break the schema, which is what the runs check."""
    tokens = {
        role: access_token(shop, account["email"], shop_env[1])
        for role, account in (("customer", demo.CUSTOMERS[0]), ("admin", demo.ADMIN))
    }
    started = {"anonymous": schemathesis(shop, cart_id)}
    try:
        for role, token in tokens.items():
            # A logout would revoke the very token the rest of the run uses; logout is
            # covered by the anonymous run and by accounts/tests/test_logout.py.
            started[role] = schemathesis(
                shop,
                cart_id,
                "-H",
                f"Authorization: Bearer {token}",
                "--exclude-path",
                "/api/auth/logout",
            )
        yield started
    finally:
        for process in started.values():
            if process.poll() is None:
                process.kill()
                process.communicate()


def finished(process: subprocess.Popen) -> subprocess.CompletedProcess:
    stdout, stderr = process.communicate(timeout=SECONDS_PER_ROLE * 3 + 120)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def sections(output: str, *names: str) -> str:
    """Schemathesis's report sections called `names` (each runs to the next `===` title)."""
    found = []
    for name in names:
        start = output.find(f" {name} =")
        if start != -1:
            end = output.find("\n===", output.find("\n", start))
            found.append(output[output.rfind("\n", 0, start) + 1 : end if end != -1 else None])
    return "\n".join(found)


def assert_clean(result: subprocess.CompletedProcess) -> None:
    output = result.stdout + result.stderr
    summary = output[output.rfind("SUMMARY") :] if "SUMMARY" in output else output[-3000:]
    # What went wrong comes last: a CI log keeps the tail of a long message.
    assert result.returncode == 0, output[-8000:] + "\n" + sections(output, "FAILURES", "ERRORS")
    assert " passed" in summary and "failures" not in summary and "errors" not in summary, summary


def test_anonymous_clients_get_only_documented_answers(runs):
    assert_clean(finished(runs["anonymous"]))


@pytest.mark.parametrize("role", ["customer", "admin"])
def test_signed_in_clients_get_only_documented_answers(runs, role):
    assert_clean(finished(runs[role]))
