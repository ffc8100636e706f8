"""Idempotency-Key handling, shared by every flow a client may retry (purchase, payment start).

The first request with a key claims it (a row committed on its own), runs, and stores its
response in the same transaction as its own writes. A retry with the same key replays that
response; a retry while the first still runs gets 409; the same key on another request gets
409. A key whose request died without finishing is taken over after a lease.
"""

import hashlib
import json
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http.request import RawPostDataException
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.exceptions import ApplicationError, error_body, exception_handler
from idempotency.errors import IdempotencyKeyInUse, IdempotencyKeyReused, InvalidIdempotencyKey
from idempotency.models import HEADER, MAX_KEY_LENGTH, IdempotencyKey

# For the views that accept the header: `@extend_schema(parameters=[IDEMPOTENCY_KEY_PARAMETER])`.
IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    HEADER,
    {"type": "string", "pattern": "^[\\x20-\\x7E]+$", "maxLength": MAX_KEY_LENGTH},
    OpenApiParameter.HEADER,
    required=False,
    description="Send the same key to retry safely: the first answer is replayed (409 while "
    "the first request still runs, or if the key was used for another request).",
)


@dataclass(frozen=True)
class Answer:
    """What a request answered: its status and JSON body, as stored and replayed."""

    status: int
    body: Any


def fingerprint(*, method: str, path: str, body: bytes) -> str:
    """Identify a request, so the same key on a different request is refused."""
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), body):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


def _body(request: Request) -> bytes:
    """The request's body; once the view has parsed a multipart stream, which Django does
    not keep, the parsed data stands for it (the same data is the same request)."""
    try:
        return request.body
    except RawPostDataException:
        data: Any = request.data  # a multipart QueryDict, in this case
        return json.dumps(sorted(data.lists()), default=str).encode()


def _claim(*, user: User, key: str, fingerprint: str) -> IdempotencyKey | Answer:
    """Claim the key for this request, or return the answer a retry must get.

    The claim is one INSERT, committed on its own (autocommit); inside a caller's
    transaction a savepoint keeps a duplicate key from breaking it.
    """
    now = timezone.now()
    try:
        with (
            transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext()
        ):
            return IdempotencyKey.objects.create(
                user=user, key=key, fingerprint=fingerprint, locked_at=now
            )
    except IntegrityError:
        record = IdempotencyKey.objects.get(user=user, key=key)
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    if record.state == IdempotencyKey.State.COMPLETED:
        assert record.response_status is not None  # stored with the state (_complete)
        return Answer(record.response_status, record.response_body)
    lease = timedelta(seconds=settings.IDEMPOTENCY_LEASE_SECONDS)
    taken = IdempotencyKey.objects.filter(
        pk=record.pk,
        state=IdempotencyKey.State.IN_PROGRESS,
        locked_at=record.locked_at,
        locked_at__lt=now - lease,
    ).update(locked_at=now)
    if not taken:
        raise IdempotencyKeyInUse()
    record.locked_at = now
    return record


def _application_answer(exc: Exception) -> Answer | None:
    if isinstance(exc, ApplicationError):
        return Answer(exc.status_code, error_body(exc))
    return None


def idempotent(
    *,
    user: User,
    key: str | None,
    fingerprint: str,
    run: Callable[[], Answer],
    answer_for: Callable[[Exception], Answer | None] = _application_answer,
    atomic: bool = True,
) -> Answer:
    """Run `run` at most once per (user, key) and return its answer; without a key, just run it.

    Knows nothing of DRF, so a DRF view, the payment endpoints and a plain ASGI handler share
    it. `answer_for` turns an exception raised by `run` into the answer the client gets (an
    ApplicationError by default); `run`'s writes are undone then, as for any 5xx answer,
    which is not stored either: the client's retry runs again.

    `atomic=False` is for a `run` that calls out (a payment provider) and so manages its own
    short transactions: nothing is undone, and `run` must itself be safe to run again under
    the same key (a payment resumes the charge it started with the provider's same key).
    """
    if key is None:
        return run()
    if not (0 < len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()):
        raise InvalidIdempotencyKey()

    claimed = _claim(user=user, key=key, fingerprint=fingerprint)
    if isinstance(claimed, Answer):
        return claimed
    try:
        try:
            with transaction.atomic() if atomic else nullcontext():
                answer = run()
                if answer.status < 500:
                    # With atomic, stored in the same transaction as run's writes: both or neither.
                    _complete(claimed, answer)
                elif atomic:
                    transaction.set_rollback(True)  # a 5xx is not stored: a retry runs again
        except Exception as exc:
            refusal = answer_for(exc)
            if refusal is None or refusal.status >= 500:
                raise
            answer = refusal
            _complete(claimed, answer)  # run's writes are undone (with atomic); its answer stays
    except BaseException:
        _release(claimed)
        raise
    if answer.status >= 500:
        _release(claimed)
    return answer


def _complete(record: IdempotencyKey, answer: Answer) -> None:
    record.state = IdempotencyKey.State.COMPLETED
    record.response_status = answer.status
    record.response_body = answer.body
    record.save(update_fields=["state", "response_status", "response_body"])


def idempotent_response(
    request: Request, view: APIView, handler: Callable[[], Response], *, atomic: bool = True
) -> Response:
    """`idempotent` for a DRF view: the Idempotency-Key header, DRF's error answers."""
    key = request.headers.get(HEADER)
    if key is None:
        return handler()

    def run() -> Answer:
        response = handler()
        return Answer(response.status_code, response.data)

    def answer_for(exc: Exception) -> Answer | None:
        response = exception_handler(exc, {"request": request, "view": view})
        return None if response is None else Answer(response.status_code, response.data)

    answer = idempotent(
        user=cast(User, request.user),  # its views let only signed-in users through
        key=key,
        fingerprint=fingerprint(
            method=request.method or "", path=request.path, body=_body(request)
        ),
        run=run,
        answer_for=answer_for,
        atomic=atomic,
    )
    return Response(answer.body, status=answer.status)


def _release(record: IdempotencyKey) -> None:
    IdempotencyKey.objects.filter(pk=record.pk, state=IdempotencyKey.State.IN_PROGRESS).delete()


def idempotency_keys_purge(*, older_than: timedelta | None = None) -> int:
    """Delete keys older than the retention (IDEMPOTENCY_KEY_TTL_HOURS); return how many."""
    age = older_than or timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - age).delete()
    return deleted
