"""JSON answers for URLs no view handles, so API clients never parse an HTML error page."""

from django.http import JsonResponse
from django.views import defaults

JSON_PREFIXES = ("/api/", "/health/", "/ws/")


def page_not_found(request, exception):
    if request.path.startswith(JSON_PREFIXES):
        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(JSON_PREFIXES):
        return JsonResponse(
            {"detail": "Internal server error.", "code": "server_error"}, status=500
        )
    return defaults.server_error(request)
