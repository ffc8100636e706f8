import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_minute")]


@pytest.fixture
def strict_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"login": "3/min", "register": "2/min"},
    }


def attempt_logins(client, count):
    body = {"email": "nobody@example.com", "password": "wrong"}
    return [client.post("/api/auth/token", body, format="json") for _ in range(count)]


def test_login_is_throttled_per_client(anon_client, strict_rates):
    responses = attempt_logins(anon_client, 4)
    assert [r.status_code for r in responses] == [401, 401, 401, 429]
    assert responses[-1].json() == {
        "detail": "Muitas solicitações; aguarde um momento.",
        "code": "throttled",
        "retry_after": 30,  # the minute's window closes 30 s after the pinned moment
    }
    assert responses[-1]["Retry-After"] == "30"


def test_registration_is_throttled(anon_client, strict_rates):
    statuses = [
        anon_client.post("/api/auth/register", {}, format="json").status_code for _ in range(3)
    ]
    assert statuses == [400, 400, 429]


def test_throttle_counters_live_in_redis_when_configured(anon_client, strict_rates, use_redis):
    import redis

    responses = attempt_logins(anon_client, 4)
    assert responses[-1].status_code == 429
    keys = redis.Redis.from_url(use_redis.url).keys("*throttle_login*")
    assert keys, "the login throttle did not write its counter to Redis"


def test_the_next_window_admits_again(anon_client, strict_rates, mid_minute, monkeypatch):
    import core.throttles

    assert attempt_logins(anon_client, 4)[-1].status_code == 429
    monkeypatch.setattr(core.throttles, "clock", lambda: mid_minute + 60)
    assert [r.status_code for r in attempt_logins(anon_client, 4)] == [401, 401, 401, 429]


def test_racing_hits_each_get_their_own_count_and_every_counter_expires(use_redis, mid_minute):
    import redis

    from core.throttles import window_count
    from testing.concurrency import at_once

    counts = at_once(20, lambda i: window_count("race", 60, mid_minute)[0])
    assert sorted(counts) == list(range(1, 21))
    client = redis.Redis.from_url(use_redis.url)
    keys = client.keys("*race*")
    assert keys and all(0 < client.ttl(key) <= 120 for key in keys)


def test_an_empty_rate_is_no_limit(anon_client, settings):
    from core.throttles import scope_rate

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"login": "", "register": "", "claim": ""},
    }
    assert scope_rate("claim") is None and scope_rate("unknown") is None
    assert {r.status_code for r in attempt_logins(anon_client, 5)} == {401}
