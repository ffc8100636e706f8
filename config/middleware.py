"""Request guards that apply to every view, before any of them runs."""

from django.http import HttpResponseBadRequest

from config.views import error_response, wants_json


class RejectNulMiddleware:
    """Answer 400 to a URL whose path or query string holds a NUL character.

    No URL of the shop ever needs one, and PostgreSQL refuses NUL in text, so a lookup
    like /api/tickets/AB%00CD would otherwise be a database error (a 500) in whichever
    view, filter or search received it. One check here keeps every view safe.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The query string is still percent-encoded; the path is already decoded.
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            if wants_json(request):
                return error_response(400, "bad_request", "The URL contains a NUL character.")
            return HttpResponseBadRequest("The URL contains a NUL character.")
        return self.get_response(request)
