"""Anonymous catalog reads served from the shared cache, with ETag and Cache-Control.

On Black Friday most requests are visitors browsing. Their JSON answers depend only on
the URL, so each (path, normalised query) is rendered once per CATALOG_CACHE_SECONDS and
kept in the default cache (Redis in production, shared by every worker; local memory when
embedded). Stock figures may be that many seconds old; anything an administrator changes
is seen at once: every catalog write bumps a version, and a page rendered at an older one
is a miss. Signed-in callers (administrators see archived products) and non-JSON answers
(the browsable API) are never cached. The ETag lets a CDN, a proxy or the browser
revalidate with a 304.
"""

import contextlib
import hashlib
import logging
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_request

from core.cache import CACHE_ERRORS

logger = logging.getLogger(__name__)

VERSION_KEY = "catalog:version"


def catalog_changed() -> None:
    """After the commit of any catalog write: every cached read is stale from then on."""

    def bump():
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # no version yet (or evicted): any new value invalidates
            cache.set(VERSION_KEY, 1, timeout=None)
        except CACHE_ERRORS:
            # Redis is down: the write stands; a Redis that lost its data lost the pages too,
            # and one that kept them lets them expire within CATALOG_CACHE_SECONDS.
            logger.warning("Catalog cache version not bumped: the cache is unavailable")

    transaction.on_commit(bump)


# The reads that may be cached; a view marks its answers with `public_read` (below).
PUBLIC_READ_PATHS = ("/api/products", "/api/categories")


def _cacheable(request) -> bool:
    """A visitor's GET of a catalog read: no token, no session, JSON."""
    return (
        request.method in ("GET", "HEAD")
        and settings.CATALOG_CACHE_SECONDS > 0
        and request.path.startswith(PUBLIC_READ_PATHS)
        and "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "html" not in request.META.get("HTTP_ACCEPT", "")
        and "format" not in request.GET
    )


def _key(request) -> str:
    # The host and scheme are part of the answer (pagination links are absolute), and so is
    # the language LocaleMiddleware will pick (an error's `detail`, a category's label).
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    language = get_language_from_request(request)
    raw = f"{language} {request.scheme}://{request.META.get('HTTP_HOST', '')}{request.path}?{query}"
    return f"catalog:page:{hashlib.sha256(raw.encode()).hexdigest()}"


def _etag(version, body: bytes) -> str:
    return '"' + hashlib.sha256(f"{version}:".encode() + body).hexdigest()[:32] + '"'


def _public(response, etag: str) -> None:
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={settings.CATALOG_CACHE_SECONDS}"
    patch_vary_headers(response, ("Accept", "Accept-Language", "Authorization", "Cookie"))


def public_read(view):
    """Mark a catalog GET view's answers as the same for every visitor (see the middleware)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.public_read = True
        return response

    return wrapper


class PublicReadCacheMiddleware:
    """First in MIDDLEWARE: a visitor's catalog read is answered from the cache before any
    other middleware runs, with the headers the whole stack gave the answer it stores
    (security headers, CSP, Vary), so a hit costs one Redis round trip and little else.

    A miss goes through the stack; a 200 JSON answer of a `public_read` view that sets no
    cookie is stored with the catalog version it was rendered at. The host check of a miss
    is Django's: a request for another host is refused there and never stored, and the
    host is part of the key.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable(request):
            return self.get_response(request)
        key = _key(request)
        # One round trip: the current version and the page, stored with the version it was
        # rendered at; a page of an older version is a miss.
        try:
            found = cache.get_many([VERSION_KEY, key])
        except CACHE_ERRORS:
            return self.get_response(request)  # Redis is down: render, as without a cache
        version, hit = found.get(VERSION_KEY, 0), found.get(key)
        if hit is None or hit[0] != version:
            response = self.get_response(request)
            if not self._storable(response):
                return response
            _public(response, _etag(version, response.content))
            hit = (version, response.content, list(response.items()))
            with contextlib.suppress(*CACHE_ERRORS):
                cache.set(key, hit, timeout=settings.CATALOG_CACHE_SECONDS)
            return response
        _, body, headers = hit
        etag = dict(headers)["ETag"]
        if etag in request.META.get("HTTP_IF_NONE_MATCH", ""):
            response = HttpResponseNotModified()
            _public(response, etag)
            return response
        response = HttpResponse(body)
        for name, value in headers:
            response[name] = value
        return response

    @staticmethod
    def _storable(response) -> bool:
        return (
            getattr(response, "public_read", False)
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("application/json")
            and not response.cookies
            and not response.streaming
        )
