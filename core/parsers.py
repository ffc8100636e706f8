"""Request body parsers for the API."""

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

from core.internals import django_request


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, held to Django's body size limit and safe from deep nesting.

    DRF reads the body as a stream, past DATA_UPLOAD_MAX_MEMORY_SIZE; `HttpRequest.body`
    enforces the limit (RequestDataTooBig, a 413) and keeps the bytes for later readers
    such as the Idempotency-Key fingerprint. A body nested deeper than the interpreter's
    recursion limit makes `json` raise RecursionError, which is the client's fault: a 400.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        request = parser_context.get("request")
        body = django_request(request).body if request is not None else stream.read()
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        parse_constant = json.strict_constant if self.strict else None
        try:
            return json.loads(body.decode(encoding), parse_constant=parse_constant)
        except ValueError as exc:  # includes UnicodeDecodeError
            raise ParseError(f"JSON parse error - {exc}") from None
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None
