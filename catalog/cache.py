"""Anonymous catalog reads served from the shared cache, with ETag and Cache-Control.

On Black Friday most requests are visitors browsing. Their JSON answers depend only on
the URL, so each (path, normalised query) is rendered once per CATALOG_CACHE_SECONDS and
kept in the default cache (Redis in production, shared by every worker; local memory when
embedded). Stock figures may be that many seconds old; anything an administrator changes
is seen at once: every catalog write bumps a version, and a page rendered at an older one
is a miss. Signed-in
callers (administrators see archived products) and non-JSON answers (the browsable API)
are never cached. The ETag lets a CDN, a proxy or the browser revalidate with a 304.
"""

import hashlib
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

VERSION_KEY = "catalog:version"


def catalog_changed() -> None:
    """After the commit of any catalog write: every cached read is stale from then on."""

    def bump():
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # no version yet (or evicted): any new value invalidates
            cache.set(VERSION_KEY, 1, timeout=None)

    transaction.on_commit(bump)


def _cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.CATALOG_CACHE_SECONDS > 0
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.user.is_authenticated
        and "html" not in request.META.get("HTTP_ACCEPT", "")
        and "format" not in request.GET
    )


def _key(request) -> str:
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    raw = f"{request.path}?{query}".encode()
    return f"catalog:page:{hashlib.sha256(raw).hexdigest()}"


def _etag(version, body: bytes) -> str:
    return '"' + hashlib.sha256(f"{version}:".encode() + body).hexdigest()[:32] + '"'


def _public(response, etag: str) -> None:
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={settings.CATALOG_CACHE_SECONDS}"
    patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))


def cached_public_read(view):
    """Wrap a catalog GET view: anonymous JSON answers from the cache, 304 on a matching ETag."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        # One round trip: the current version and the page, stored with the version it was
        # rendered at; a page of an older version is a miss.
        found = cache.get_many([VERSION_KEY, key])
        version, hit = found.get(VERSION_KEY, 0), found.get(key)
        if hit is not None and hit[0] == version:
            hit = hit[1:]
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()  # DRF sets the negotiated Content-Type when rendering
            if response.status_code != 200 or not response.get("Content-Type", "").startswith(
                "application/json"
            ):
                return response
            hit = (response.content, response["Content-Type"], _etag(version, response.content))
            cache.set(key, (version, *hit), timeout=settings.CATALOG_CACHE_SECONDS)
        body, content_type, etag = hit
        if etag in request.META.get("HTTP_IF_NONE_MATCH", ""):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(body, content_type=content_type)
        _public(response, etag)
        return response

    return wrapper
