"""The Idempotency-Key mechanism without DRF, as a plain ASGI handler uses it."""

import pytest

from accounts.tests.factories import UserFactory
from core.exceptions import Conflict
from idempotency.errors import IdempotencyKeyReused, InvalidIdempotencyKey
from idempotency.models import IdempotencyKey
from idempotency.services import Answer, fingerprint, idempotent

pytestmark = pytest.mark.django_db


def call(user, key, run, body=b"{}"):
    request = fingerprint(method="POST", path="/claims", body=body)
    return idempotent(user=user, key=key, fingerprint=request, run=run)


def test_the_first_answer_is_replayed_and_the_work_runs_once():
    user, runs = UserFactory(), []

    def run():
        runs.append(1)
        return Answer(201, {"claim_id": len(runs)})

    assert call(user, "k", run) == Answer(201, {"claim_id": 1})
    assert call(user, "k", run) == Answer(201, {"claim_id": 1})
    assert len(runs) == 1


def test_an_application_error_is_the_answer_stored_and_its_writes_undone():
    user = UserFactory()

    def run():
        UserFactory(email="written@example.com")  # a write the error must undo
        raise Conflict("Sold out.", code="sold_out")

    first = call(user, "k", run)
    assert first == Answer(409, {"detail": "Sold out.", "code": "sold_out"})
    assert call(user, "k", lambda: Answer(201, {})) == first
    assert not UserFactory._meta.model.objects.filter(email="written@example.com").exists()


def test_other_exceptions_release_the_key_for_a_retry():
    user = UserFactory()

    def boom():
        raise RuntimeError("provider down")

    with pytest.raises(RuntimeError):
        call(user, "k", boom)
    assert not IdempotencyKey.objects.exists()
    assert call(user, "k", lambda: Answer(201, {"ok": True})) == Answer(201, {"ok": True})


def test_the_key_on_another_request_or_malformed_is_refused():
    user = UserFactory()
    call(user, "k", lambda: Answer(201, {}))
    with pytest.raises(IdempotencyKeyReused):
        call(user, "k", lambda: Answer(201, {}), body=b'{"other": 1}')
    with pytest.raises(InvalidIdempotencyKey):
        call(user, "bad\nkey", lambda: Answer(201, {}))


def test_without_a_key_it_just_runs():
    assert call(UserFactory(), None, lambda: Answer(200, {"n": 1})) == Answer(200, {"n": 1})
