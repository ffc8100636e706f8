"""Idempotency-Key handling, shared by every flow a client may retry (purchase, pay, claim).

The first request with a key claims it (a row committed on its own), runs, and stores its
response in the same transaction as its own writes. A retry with the same key replays that
response; a retry while the first still runs gets 409; the same key on another request gets
409. A claim whose request died without finishing is taken over after a lease.
"""

import hashlib
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request
from rest_framework.response import Response

from config.exceptions import ApplicationError, Conflict, exception_handler
from idempotency.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


# For the views that accept the header: `@extend_schema(parameters=[IDEMPOTENCY_KEY_PARAMETER])`.
IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    HEADER,
    {"type": "string", "pattern": "^[\\x20-\\x7E]+$", "maxLength": MAX_KEY_LENGTH},
    OpenApiParameter.HEADER,
    required=False,
    description="Send the same key to retry safely: the first answer is replayed (409 while "
    "the first request still runs, or if the key was used for another request).",
)


class InvalidIdempotencyKey(ApplicationError):
    code = "invalid_idempotency_key"
    message = f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable ASCII characters."


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    message = f"This {HEADER} was already used for a different request."


class IdempotencyKeyInUse(Conflict):
    code = "idempotency_key_in_use"
    message = f"A request with this {HEADER} is still being processed; retry shortly."


def _fingerprint(request: Request) -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.body):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


def _claim(*, user, key: str, fingerprint: str) -> IdempotencyKey | Response:
    """Claim the key for this request, or return the response a retry must get."""
    now = timezone.now()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                user=user, key=key, fingerprint=fingerprint, locked_at=now
            )
    except IntegrityError:
        record = IdempotencyKey.objects.get(user=user, key=key)
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    if record.state == IdempotencyKey.State.COMPLETED:
        return Response(record.response_body, status=record.response_status)
    lease = timedelta(seconds=settings.IDEMPOTENCY_LEASE_SECONDS)
    taken = IdempotencyKey.objects.filter(
        pk=record.pk, state=IdempotencyKey.State.IN_PROGRESS, locked_at=record.locked_at,
        locked_at__lt=now - lease,
    ).update(locked_at=now)  # fmt: skip
    if not taken:
        raise IdempotencyKeyInUse()
    record.locked_at = now
    return record


def idempotent_response(request: Request, view, handler: Callable[[], Response]) -> Response:
    """Run `handler` at most once per (user, Idempotency-Key); without the header, just run it."""
    key = request.headers.get(HEADER)
    if key is None:
        return handler()
    if not (0 < len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()):
        raise InvalidIdempotencyKey()

    claimed = _claim(user=request.user, key=key, fingerprint=_fingerprint(request))
    if isinstance(claimed, Response):
        return claimed
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    response = handler()
            except Exception as exc:
                response = exception_handler(exc, {"request": request, "view": view})
                if response is None or response.status_code >= 500:
                    raise
            if response.status_code >= 500:
                # Not stored, and the handler's writes undone: the client's retry runs again.
                transaction.set_rollback(True)
            else:
                # Stored in the same transaction as the handler's writes: both or neither.
                claimed.state = IdempotencyKey.State.COMPLETED
                claimed.response_status = response.status_code
                claimed.response_body = response.data
                claimed.save(update_fields=["state", "response_status", "response_body"])
    except BaseException:
        _release(claimed)
        raise
    if response.status_code >= 500:
        _release(claimed)
    return response


def _release(record: IdempotencyKey) -> None:
    IdempotencyKey.objects.filter(pk=record.pk, state=IdempotencyKey.State.IN_PROGRESS).delete()


def idempotency_keys_purge(*, older_than: timedelta | None = None) -> int:
    """Delete keys older than the retention (IDEMPOTENCY_KEY_TTL_HOURS); return how many."""
    age = older_than or timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - age).delete()
    return deleted
