"""The client's address, as every limit sees it (throttles, the lean claim handler, the
login lockout): the peer, or with NUM_PROXIES trusted proxies in front, the address the
outermost trusted one saw. DRF's rule (BaseThrottle.get_ident), kept in one place so that
a request reaching Django and one answered by the lean ASGI handler count alike."""

from django.conf import settings


def client_address(*, peer: str, forwarded: str | None) -> str:
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    if not proxies or forwarded is None:
        return peer
    hops = forwarded.split(",")
    return hops[-min(proxies, len(hops))].strip()


def request_client_address(request) -> str:
    """A Django (or DRF) request's client address."""
    return client_address(
        peer=request.META.get("REMOTE_ADDR", ""), forwarded=request.headers.get("x-forwarded-for")
    )


def scope_client_address(scope) -> str:
    """An ASGI request's client address, before any Django request exists."""
    forwarded = next((v for k, v in scope["headers"] if k == b"x-forwarded-for"), None)
    peer = (scope.get("client") or ("",))[0]
    return client_address(peer=peer, forwarded=forwarded.decode("latin-1") if forwarded else None)
