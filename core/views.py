"""JSON answers for errors raised outside DRF views, so API clients never parse an HTML page."""

from django.http import JsonResponse
from django.views import defaults

from core.exceptions import (
    ApplicationError,
    Forbidden,
    NotFound,
    ServerError,
    error_body,
    suspicious_operation_error,
)

JSON_PREFIXES = ("/api/", "/health/", "/ws/")


def wants_json(request) -> bool:
    return request.path.startswith(JSON_PREFIXES)


def error_response(error: ApplicationError) -> JsonResponse:
    """The API's error shape for an error answered outside DRF (middleware, handlers)."""
    response = JsonResponse(error_body(error), status=error.status_code)
    for header, value in error.headers().items():
        response[header] = value
    return response


def bad_request(request, exception):
    """SuspiciousOperation outside a DRF view: a body over the limit, a bad Host header."""
    if wants_json(request):
        return error_response(suspicious_operation_error(exception))
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if wants_json(request):
        return error_response(Forbidden())
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if wants_json(request):
        return error_response(NotFound())
    return defaults.page_not_found(request, exception)


def server_error(request):
    if wants_json(request):
        return error_response(ServerError())
    return defaults.server_error(request)
