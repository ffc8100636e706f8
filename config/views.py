"""JSON answers for errors raised outside DRF views, so API clients never parse an HTML page."""

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views import defaults

JSON_PREFIXES = ("/api/", "/health/", "/ws/")


def wants_json(request) -> bool:
    return request.path.startswith(JSON_PREFIXES)


def error_response(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status)


def bad_request(request, exception):
    """SuspiciousOperation outside a DRF view: a body over the limit, a bad Host header."""
    if not wants_json(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return error_response(413, "request_too_large", "The request body is too large.")
    return error_response(400, "bad_request", "The request could not be understood.")


def permission_denied(request, exception):
    if wants_json(request):
        return error_response(403, "permission_denied", "You may not do this.")
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if wants_json(request):
        return error_response(404, "not_found", "Not found.")
    return defaults.page_not_found(request, exception)


def server_error(request):
    if wants_json(request):
        return error_response(500, "server_error", "Internal server error.")
    return defaults.server_error(request)
