"""The errors idempotency raises; core.exceptions renders each as {"detail", "code"}."""

from core.exceptions import ApplicationError, Conflict
from idempotency.models import HEADER, MAX_KEY_LENGTH


class InvalidIdempotencyKey(ApplicationError):
    code = "invalid_idempotency_key"
    message = f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable ASCII characters."


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    message = f"This {HEADER} was already used for a different request."


class IdempotencyKeyInUse(Conflict):
    code = "idempotency_key_in_use"
    message = f"A request with this {HEADER} is still being processed; retry shortly."
