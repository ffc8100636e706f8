"""One error shape for the whole API: {"detail": "...", "code": "..."}.

Services raise ApplicationError subclasses (OutOfStock, SoldOut, ...); the DRF exception
handler below renders those, DRF's own exceptions and Django's ValidationError alike.
"""

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from core.cache import CACHE_ERRORS

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

logger = logging.getLogger(__name__)


class ApplicationError(Exception):
    """A business rule refused the request; carries its HTTP status and machine code."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    code = "error"
    # Lazy: read in the language of the request that meets it (error_body makes it text).
    message: "str | StrOrPromise" = _("The request could not be processed.")

    def __init__(
        self, message: "str | StrOrPromise | None" = None, *, code: str | None = None, **extra: Any
    ):
        self.message = message or self.message
        self.code = code or self.code
        self.extra = extra
        super().__init__(self.message)

    def headers(self) -> dict[str, str]:
        """HTTP headers the answer carries besides the body (Retry-After, ...)."""
        return {}


class NotFound(ApplicationError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"
    message = _("Not found.")


class BadRequest(ApplicationError):
    code = "bad_request"
    message = _("The request could not be understood.")


class RequestTooLarge(ApplicationError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    code = "request_too_large"
    message = _("The request body is too large.")


class Forbidden(ApplicationError):
    status_code = status.HTTP_403_FORBIDDEN
    code = "permission_denied"
    message = _("You may not do this.")


class ServerError(ApplicationError):
    status_code = status.HTTP_500_INTERNAL_SERVER_ERROR
    code = "server_error"
    message = _("Internal server error.")


class TooManyRequests(ApplicationError):
    """A rate refused the request; Retry-After says when to try again (`retry_after` seconds)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    code = "throttled"
    message = _("Too many requests; wait a moment.")

    def retry_after(self) -> int:
        return int(self.extra.get("retry_after") or 1)

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after())}


class Conflict(ApplicationError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"
    message = _("The request conflicts with the current state.")


class DependencyUnavailable(ApplicationError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    code = "service_unavailable"
    message = _("A service this request needs is unavailable; try again shortly.")


def _validation_body(errors: Any) -> dict:
    """Summarise field errors in `detail` and keep them all under `errors`."""
    field, messages = _first_error(errors)
    message = str(messages) if not isinstance(messages, list) else str(messages[0])
    code = getattr(messages[0] if isinstance(messages, list) else messages, "code", None)
    detail = message if field in (None, "non_field_errors") else f"{field}: {message}"
    return {
        "detail": detail,
        "code": code or "invalid",
        "errors": errors,
    }


def _first_error(errors: Any, field: str | None = None) -> tuple[str | None, Any]:
    if isinstance(errors, dict) and errors:
        key, value = next(iter(errors.items()))
        return _first_error(value, key if field is None else f"{field}.{key}")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict | list):
        return _first_error(errors[0], field)
    return field, errors


def suspicious_operation_error(exc: SuspiciousOperation) -> ApplicationError:
    """Django's refusal of a request (a body over the limit, too many fields, a bad Host)."""
    return RequestTooLarge() if isinstance(exc, RequestDataTooBig) else BadRequest()


def error_body(error: ApplicationError) -> dict:
    # str(): a lazy message is translated now, in the request's language, and stored as text
    # wherever the body goes (an idempotency key's answer).
    return {"detail": str(error.message), "code": error.code, **error.extra}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, SuspiciousOperation):
        exc = suspicious_operation_error(exc)
    if isinstance(exc, exceptions.Throttled):  # every 429 of a rate says the same
        exc = TooManyRequests(retry_after=getattr(exc, "wait", None) or 1)
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc), status=exc.status_code, headers=exc.headers())
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, CACHE_ERRORS):
        # Redis is down: throttles and the logout denylist cannot be checked.
        logger.warning("Cache unavailable: %s", exc)
        return Response(
            error_body(DependencyUnavailable()),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "1"},
        )
    if isinstance(exc, OperationalError):
        # The database is down or, on SQLite, stayed locked past the busy timeout.
        return Response(
            {"detail": str(DependencyUnavailable.message), "code": "database_unavailable"},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "1"},
        )

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(response.data)
    elif isinstance(response.data, dict) and "detail" in response.data:
        detail = response.data["detail"]
        code = response.data.get("code") or getattr(detail, "code", None)
        response.data = {"detail": str(detail), "code": str(code or "error")}
    return response


class ErrorSerializer(serializers.Serializer):
    """The error shape, as the OpenAPI schema documents it; services may add fields."""

    detail = serializers.CharField(help_text="What went wrong, for a person.")
    code = serializers.CharField(help_text="What went wrong, for a program.")


class ValidationErrorSerializer(ErrorSerializer):
    # A field named like Serializer.errors: this serializer only documents the shape.
    errors = serializers.DictField(  # type: ignore[assignment]
        required=False, help_text="Every message, by field, when the input was invalid."
    )
