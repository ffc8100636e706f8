"""Limits hold across worker processes: gunicorn with 2 workers, production settings."""

import contextlib
import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from accounts.tests.factories import PASSWORD
from testing.shop import call, production_environment, serve


def post(port, path, body):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def burst(port, path, bodies, threads=6):
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda body: post(port, path, body), bodies))


@pytest.fixture
def shop(server_database_url, redis_server):
    """Start the shop with extra settings; yield (port, environment)."""
    import redis

    redis.Redis.from_url(redis_server.url).flushdb()  # no counter left by another test

    @contextlib.contextmanager
    def start(**settings):
        env = production_environment(
            database_url=server_database_url,
            redis_url=redis_server.url,
            migrate=False,
            **settings,
        )
        with serve("gunicorn", env, workers=2) as port:
            yield port, env

    return start


def sign_up(i):
    return {
        "email": f"burst{i}@example.com",
        "password": "a-strong-passphrase",
        "first_name": "B",
        "last_name": "U",
    }


def test_registration_limit_holds_across_workers(shop):
    # Each accepted sign-up hashes a password, so the other worker takes requests meanwhile.
    with shop(THROTTLE_REGISTER="5/hour") as (port, _):
        statuses = burst(port, "/api/auth/register", [sign_up(i) for i in range(24)])
    assert sorted(statuses) == [201] * 5 + [429] * 19


def test_login_limit_holds_across_workers(shop):
    bodies = [{"email": f"nobody{i}@example.com", "password": "x"} for i in range(24)]
    with shop(THROTTLE_LOGIN="5/hour", LOGIN_FAILURE_LIMIT="100") as (port, _):
        statuses = burst(port, "/api/auth/token", bodies)
    assert statuses.count(401) == 5
    assert statuses.count(429) == 19


def test_an_account_lockout_holds_across_workers(shop):
    with shop(LOGIN_FAILURE_LIMIT="3") as (port, env):
        call("customer_tokens", env=env, emails=["maria@example.com"], password=PASSWORD)
        wrong = {"email": "maria@example.com", "password": "wrong"}
        assert [post(port, "/api/auth/token", wrong) for _ in range(3)] == [401, 401, 429]
        right = {"email": "maria@example.com", "password": PASSWORD}
        # Whichever worker answers, the account stays locked.
        assert burst(port, "/api/auth/token", [right] * 8, threads=4) == [429] * 8
