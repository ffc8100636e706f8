import pytest
from django.core.cache import cache

from delivery import cep
from delivery.tests.fake_viacep import FakeViaCep


@pytest.fixture
def viacep(settings):
    cache.clear()
    cep._guard.cache_clear()
    with FakeViaCep() as fake:
        settings.CEP_PROVIDER = "viacep"
        settings.VIACEP_URL = fake.url
        settings.CEP_TIMEOUT = 0.3
        settings.CEP_RETRY_ATTEMPTS = 2
        yield fake
    cep._guard.cache_clear()
    cache.clear()


def lookup(client, value):
    return client.get(f"/api/cep/{value}")


def test_a_known_cep_answers_its_address_and_is_asked_once(db, anon_client, viacep):
    first = lookup(anon_client, "01310-100")
    assert first.status_code == 200
    assert first.json() == {
        "cep": "01310100",
        "street": "Avenida Paulista",
        "district": "Bela Vista",
        "city": "São Paulo",
        "state": "SP",
    }
    again = lookup(anon_client, "01310100")
    assert again.json() == first.json()
    assert len(viacep.requests) == 1  # the second came from the cache


def test_an_unknown_cep_is_a_404_and_is_cached_too(db, anon_client, viacep):
    for _ in range(2):
        answer = lookup(anon_client, "99999999")
        assert answer.status_code == 404 and answer.json()["code"] == "cep_not_found"
    assert len(viacep.requests) == 1


@pytest.mark.parametrize(
    "value",
    [
        "0131010",
        "013101000",
        "abcdefgh",
        "01310-10x",
        "\uff10\uff11\uff13\uff11\uff10\uff11\uff10\uff10",
    ],
)
def test_a_malformed_cep_is_a_400_and_never_reaches_the_provider(db, anon_client, viacep, value):
    answer = lookup(anon_client, value)
    assert answer.status_code == 400 and answer.json()["code"] == "invalid_cep"
    assert viacep.requests == []


def test_a_failure_in_passing_is_retried(db, anon_client, viacep):
    viacep.fail_next = 1
    answer = lookup(anon_client, "20040020")
    assert answer.status_code == 200 and answer.json()["city"] == "Rio de Janeiro"
    assert len(viacep.requests) == 2


def test_a_provider_that_keeps_failing_is_a_503_and_nothing_is_cached(db, anon_client, viacep):
    viacep.fail_next = 2
    down = lookup(anon_client, "20040020")
    assert down.status_code == 503 and down.json()["code"] == "cep_lookup_unavailable"
    assert lookup(anon_client, "20040020").status_code == 200  # not remembered as unknown


def test_a_provider_that_hangs_past_the_timeout_is_a_503(db, anon_client, viacep):
    viacep.hang_next, viacep.hang_seconds = 2, 1.0
    answer = lookup(anon_client, "01310100")
    assert answer.status_code == 503 and answer.json()["code"] == "cep_lookup_unavailable"
    assert len(viacep.requests) == 2


def test_the_circuit_opens_and_spares_the_provider(db, anon_client, viacep, settings):
    settings.CEP_RETRY_ATTEMPTS = 1
    cep._guard().breaker.fail_max = 2
    viacep.fail_next = 100
    answers = [lookup(anon_client, f"0000000{n}").status_code for n in range(4)]
    assert answers == [503] * 4
    assert len(viacep.requests) == 2  # then the circuit was open


def test_with_no_provider_the_lookup_is_unavailable_and_typing_still_works(
    customer, customer_client, settings
):
    settings.CEP_PROVIDER = "none"
    answer = lookup(customer_client, "01310100")
    assert answer.status_code == 503 and answer.json()["code"] == "cep_lookup_unavailable"
    typed = customer_client.post(
        "/api/addresses",
        {
            "recipient_name": "Ana",
            "cep": "01310-100",
            "street": "Avenida Paulista",
            "number": "1000",
            "district": "Bela Vista",
            "city": "São Paulo",
            "state": "SP",
        },
    )
    assert typed.status_code == 201


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, {"uf": ["SP"], "localidade": "X"}, 404),  # not a UF: no such address
        (200, ["not", "an", "object"], 503),
        (302, {}, 503),
        (404, {"uf": "SP"}, 503),
    ],
)
def test_an_answer_of_another_shape_is_never_a_500(
    db, anon_client, viacep, settings, status, body, expected
):
    settings.CEP_RETRY_ATTEMPTS = 1
    viacep.answer_next = (status, body)
    answer = lookup(anon_client, "01310100")
    assert answer.status_code == expected
