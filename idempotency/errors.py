"""The errors idempotency raises; core.exceptions renders each as {"detail", "code"}."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.exceptions import ApplicationError, Conflict
from idempotency.models import HEADER, MAX_KEY_LENGTH


class InvalidIdempotencyKey(ApplicationError):
    code = "invalid_idempotency_key"
    message = format_lazy(
        _("{header} must be 1 to {max} printable ASCII characters."),
        header=HEADER,
        max=MAX_KEY_LENGTH,
    )


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    message = format_lazy(
        _("This {header} was already used for a different request."), header=HEADER
    )


class IdempotencyKeyInUse(Conflict):
    code = "idempotency_key_in_use"
    message = format_lazy(
        _("A request with this {header} is still being processed; retry shortly."), header=HEADER
    )
