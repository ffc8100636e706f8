"""WebSockets: authentication (a JWT access token in the query string, else the session),
the Origin check, and the base every consumer is built on."""

import json
import logging
from enum import IntEnum
from urllib.parse import parse_qs

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.middleware import BaseMiddleware
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http.request import split_domain_port, validate_host
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import AuthenticationFailed

from accounts.authentication import JWTAuthentication
from accounts.tokens import token_is_denied

logger = logging.getLogger(__name__)


class Close(IntEnum):
    """The close codes of every socket: 4000 + the HTTP status they mirror, or the RFC's."""

    TRY_AGAIN_LATER = 1013  # a dependency (Redis, the database) is down
    UNAUTHENTICATED = 4401
    FORBIDDEN = 4403
    NOT_FOUND = 4404


class Refused(Exception):
    """Raised by `ShopConsumer.join` to close the handshake with `code`."""

    def __init__(self, code: Close):
        super().__init__(code)
        self.code = code


@database_sync_to_async
def _user_for_token(raw: str):
    """(user, the token's claims), or (anonymous, None) for a token that is not valid."""
    authentication = JWTAuthentication()
    try:
        token = authentication.get_validated_token(raw)
        return authentication.get_user(token), dict(token.payload)
    except AuthenticationFailed:  # InvalidToken is one, denied tokens included
        return AnonymousUser(), None


class TokenAuthMiddleware(BaseMiddleware):
    """Put the user of `?token=<access>` in scope["user"]; a bad token is anonymous.

    Consumers refuse anonymous users; without a token the session middleware decides.
    """

    async def __call__(self, scope, receive, send):
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if "token" in query:
            try:
                user, claims = await _user_for_token(query["token"][-1])
            except Exception:  # the cache (Redis) is down: the denylist cannot be read
                logger.warning("WebSocket handshake refused: the token cannot be checked now")
                return await refuse(receive, send, Close.TRY_AGAIN_LATER)
            scope = {**scope, "user": user, "token_claims": claims}
        return await super().__call__(scope, receive, send)


async def refuse(receive, send, code: Close) -> None:
    """Close a handshake with `code`, accepted first: a server that closes before accepting
    answers an HTTP 403 instead (uvicorn), which a browser reports as 1006, and the client
    never learns why (to sign in again, that the sale is gone, to come back later)."""
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.close", "code": code})


def AuthStack(inner):  # noqa: N802 - named like Channels' AuthMiddlewareStack
    """Session authentication, overridden by a token when the client sends one."""
    return AuthMiddlewareStack(TokenAuthMiddleware(inner))


def origin_allowed(scope) -> bool:
    """The handshake's Origin is the shop's own (scheme, host and port of the request, the
    host an allowed one) or one of CSRF_TRUSTED_ORIGINS: what Django's CSRF check accepts."""
    headers = dict(scope.get("headers", []))
    origin = headers.get(b"origin", b"").decode("latin-1")
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    host = headers.get(b"host", b"").decode("latin-1")
    domain, _ = split_domain_port(host)
    if not (domain and validate_host(domain, settings.ALLOWED_HOSTS)):
        return False
    # uvicorn reports wss behind a TLS-terminating proxy it trusts (X-Forwarded-Proto).
    scheme = "https" if scope.get("scheme") in ("wss", "https") else "http"
    return origin == f"{scheme}://{host}"


def OriginCheck(inner):  # noqa: N802 - an ASGI middleware factory, like Channels' own
    """Browsers (cookie sessions) must come from the shop's own origin; a token client may
    omit Origin.

    A page on another site, or on another port or scheme of the same host, could ride a
    customer's session cookie, which is what the Origin check stops; a mobile app or a
    script authenticates with `?token=` and sends no Origin. A client that sends an Origin
    is always checked.
    """

    async def app(scope, receive, send):
        headers = dict(scope.get("headers", []))
        has_token = "token" in parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if (b"origin" not in headers and has_token) or origin_allowed(scope):
            return await inner(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)

    return app


class ShopConsumer(AsyncJsonWebsocketConsumer):
    """The base of every consumer: authentication, close codes, groups, frames.

    - Anonymous sockets are closed (4401); `join(user)` refuses others (`raise
      Refused(Close.X)`: accepted, then closed with X, so every client reads X) or names
      the groups the socket joins, which Channels leaves on disconnect (its `groups`);
      `welcome()` sends the first frames once accepted.
    - A frame that is not a JSON object (text that does not parse, bytes, JSON nested past
      parsing) is answered `{"type": "error", "code": "bad_frame"}`; a consumer that takes
      no frames answers every frame `read_only`. The connection stays.
    - A socket opened with a token whose session has been logged out since is closed
      (4401) at its next frame; push handlers that carry personal data check it too
      (`session_revoked`).
    """

    async def join(self, user) -> list[str]:
        raise NotImplementedError

    async def welcome(self) -> None:
        """The first frames, once the socket is accepted."""

    accepted = False

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or await self._owes_second_factor(user):
            await self.refuse(Close.UNAUTHENTICATED)
            return
        try:
            groups = await self.join(user)
        except Refused as refused:
            await self.refuse(refused.code)
            return
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups.append(group)
        await self.accept()
        await self.welcome()

    @database_sync_to_async
    def _owes_second_factor(self, user) -> bool:
        """An administrator's session that skipped the code: not taken here either (a token
        was minted after the code, accounts.serializers.LoginSerializer)."""
        from accounts.second_factor import needs_second_factor, session_verified

        if self.scope.get("token_claims") is not None:
            return False
        return needs_second_factor(user) and not session_verified(user, self.scope.get("session"))

    async def accept(self, subprotocol=None, headers=None):
        await super().accept(subprotocol, headers)
        self.accepted = True

    async def refuse(self, code: Close) -> None:
        """Close the handshake with `code`, accepted first (see `refuse` above)."""
        if not self.accepted:
            await self.accept()
        await self.close(code=code)

    async def websocket_connect(self, message):
        try:
            await super().websocket_connect(message)
        except Exception:  # Redis (groups, cache) or the database is down: come back later
            logger.warning("WebSocket handshake refused: a dependency is down", exc_info=True)
            await self.refuse(Close.TRY_AGAIN_LATER)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if await self.session_revoked():
            await self.close(code=Close.UNAUTHENTICATED)
            return
        try:
            content = json.loads(text_data) if text_data is not None else None
        except (ValueError, RecursionError):
            content = None
        if not isinstance(content, dict):
            await self.send_error("bad_frame", _("Frames are JSON objects with a type."))
            return
        await self.receive_json(content, **kwargs)

    async def receive_json(self, content, **kwargs):
        await self.send_error("read_only")

    async def send_error(self, code: str, detail: str = "") -> None:
        await self.send_json(
            {"type": "error", "code": code, **({"detail": str(detail)} if detail else {})}
        )

    async def session_revoked(self) -> bool:
        """Whether this socket's token (or its session) was logged out since it connected."""
        claims = self.scope.get("token_claims")
        if not claims:
            return False
        try:
            return await database_sync_to_async(token_is_denied)(claims)
        except Exception:  # the cache is down: nothing can be checked, so nothing passes
            logger.warning("Could not check a socket's token against the denylist")
            return True
