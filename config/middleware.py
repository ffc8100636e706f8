"""Request guards that apply to every view, before any of them runs."""

from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponseBadRequest

from config.exceptions import BadRequest
from config.tasks import embedded, run_due_periodic_tasks
from config.views import error_response, wants_json


class UrlGuardMiddleware:
    """Answer 400 to URLs no view can handle safely.

    - A NUL character in the path or query string: no URL of the shop needs one, and
      PostgreSQL refuses NUL in text, so a lookup like /api/tickets/AB%00CD would otherwise
      be a database error (a 500) in whichever view, filter or search received it.
    - A query parameter given twice on the API (`?page_size=10&page_size=x`): every API
      parameter takes one value, and silently using the last one hides the client's bug.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The query string is still percent-encoded; the path is already decoded.
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return self._bad_request(request, "The URL contains a NUL character.")
        if wants_json(request) and any(len(values) > 1 for _, values in request.GET.lists()):
            return self._bad_request(request, "Each query parameter may be given only once.")
        return self.get_response(request)

    @staticmethod
    def _bad_request(request, detail):
        if wants_json(request):
            return error_response(BadRequest(detail))
        return HttpResponseBadRequest(detail)


class EmbeddedBeatMiddleware:
    """In the embedded mode (no Celery beat), let requests run the periodic tasks when due.

    Not used at all when a broker is configured: beat does the work there.
    """

    def __init__(self, get_response):
        if not embedded():
            raise MiddlewareNotUsed()
        self.get_response = get_response

    def __call__(self, request):
        run_due_periodic_tasks()
        return self.get_response(request)
