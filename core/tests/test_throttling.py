import pytest

pytestmark = pytest.mark.django_db


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
    assert responses[-1].json()["code"] == "throttled"
    assert int(responses[-1]["Retry-After"]) > 0


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
