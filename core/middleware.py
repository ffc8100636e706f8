"""Request guards that apply to every view, before any of them runs."""

import json
from functools import cache
from types import SimpleNamespace
from typing import Any

from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext_lazy as _
from django_guid import set_guid
from django_guid.config import settings as guid_settings
from django_guid.utils import generate_guid, get_correlation_id_from_header

from core.exceptions import BadRequest
from core.tasks import embedded, run_due_periodic_tasks
from core.views import error_response, wants_json

UNSUPPORTED_CHARSET = json.dumps(
    {"detail": "The request's charset is not a text encoding.", "code": "unsupported_charset"}
).encode()


def _readable_charset(content_type: str) -> bool:
    charset = parse_header_parameters(content_type)[1].get("charset")
    if not charset:
        return True
    try:
        b"a".decode(charset)  # not b"": decoding nothing skips the text-encoding check
    except UnicodeDecodeError:
        return True  # a text encoding that cannot read this byte (utf-16): the parser says so
    except LookupError:
        return False
    return True


def charset_guard_wsgi(app):
    """Answer 415 to a Content-Type whose charset is not a text encoding, before Django.

    Django takes any name `codecs.lookup` knows as the request's encoding, bytes-to-bytes
    codecs included (`charset=rot13`, `base64`, `zlib`...); decoding the query string or the
    body with one raises LookupError, and for a query string that happens while the request
    object is built, outside every middleware and error handler: a bare 500.
    """

    def guarded(environ, start_response):
        if _readable_charset(environ.get("CONTENT_TYPE", "")):
            return app(environ, start_response)
        start_response("415 Unsupported Media Type", [("Content-Type", "application/json")])
        return [UNSUPPORTED_CHARSET]

    return guarded


def charset_guard_asgi(app):
    """The same guard for HTTP under ASGI."""

    async def guarded(scope, receive, send):
        content_type = dict(scope.get("headers", [])).get(b"content-type", b"")
        if scope["type"] != "http" or _readable_charset(content_type.decode("latin-1")):
            return await app(scope, receive, send)
        await send(
            {
                "type": "http.response.start",
                "status": 415,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": UNSUPPORTED_CHARSET})

    return guarded


@cache
def _content_security_policy() -> bytes:
    return build_policy().encode()


def lean_request_id(scope) -> tuple[str, dict]:
    """For a handler in front of Django (flashsales/asgi.py): the request id as django-guid
    keeps or makes it, set now so the handler's own log lines carry it, and the scope to hand
    Django if the handler lets it answer (a made id added to its headers, so Django keeps it)."""
    name = guid_settings.guid_header_name
    wanted = name.lower().encode()
    given = next((value for key, value in scope["headers"] if key == wanted), b"")
    if given:
        request: Any = SimpleNamespace(headers={name: given.decode("latin-1")})
        request_id = get_correlation_id_from_header(request)
    else:
        request_id = generate_guid()
    set_guid(request_id)
    if request_id.encode() != given:
        headers = [(k, v) for k, v in scope["headers"] if k != wanted]
        scope = {**scope, "headers": [*headers, (wanted, request_id.encode())]}
    return request_id, scope


def lean_language(scope) -> str:
    """The language LocaleMiddleware would pick from Accept-Language, for the lean handler,
    which answers before Django's middleware runs (its refusals read as the API's do)."""
    header = next((v for k, v in scope.get("headers", ()) if k == b"accept-language"), b"")
    ranked = []
    for position, part in enumerate(header.decode("latin-1").split(",")[:20]):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and tag != "*":
            ranked.append((-quality, position, tag))
    for _quality, _position, tag in sorted(ranked):
        try:
            return translation.get_supported_language_variant(tag.lower())
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def lean_answer_headers(request_id: str) -> list[tuple[bytes, bytes]]:
    """The headers Django's middleware gives every answer, for a handler that answers in
    front of it: the request id (django-guid) and django-csp's Content-Security-Policy."""
    headers = []
    if guid_settings.return_header:
        name = guid_settings.guid_header_name
        headers.append((name.lower().encode(), request_id.encode()))
        if guid_settings.expose_header:
            headers.append((b"access-control-expose-headers", name.encode()))
    if policy := _content_security_policy():
        headers.append((b"content-security-policy", policy))
    return headers


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
            return self._bad_request(request, _("The URL contains a NUL character."))
        if wants_json(request) and any(len(values) > 1 for _, values in request.GET.lists()):
            return self._bad_request(request, _("Each query parameter may be given only once."))
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
