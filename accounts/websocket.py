"""WebSocket authentication: a JWT access token in the query string, else the session."""

from urllib.parse import parse_qs

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from channels.security.websocket import AllowedHostsOriginValidator
from django.contrib.auth.models import AnonymousUser
from rest_framework.exceptions import AuthenticationFailed

from accounts.authentication import JWTAuthentication


@database_sync_to_async
def _user_for_token(raw: str):
    authentication = JWTAuthentication()
    try:
        return authentication.get_user(authentication.get_validated_token(raw))
    except AuthenticationFailed:  # InvalidToken is one, denied tokens included
        return AnonymousUser()


class TokenAuthMiddleware(BaseMiddleware):
    """Put the user of `?token=<access>` in scope["user"]; a bad token is anonymous.

    Consumers refuse anonymous users; without a token the session middleware decides.
    """

    async def __call__(self, scope, receive, send):
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if "token" in query:
            scope = {**scope, "user": await _user_for_token(query["token"][-1])}
        return await super().__call__(scope, receive, send)


def AuthStack(inner):  # noqa: N802 - named like Channels' AuthMiddlewareStack
    """Session authentication, overridden by a token when the client sends one."""
    return AuthMiddlewareStack(TokenAuthMiddleware(inner))


def OriginCheck(inner):  # noqa: N802 - an ASGI middleware factory, like Channels' own
    """Browsers (cookie sessions) must come from an allowed host; a token client may omit Origin.

    A page on another site could ride a customer's session cookie, which is what the Origin
    check stops; a mobile app or a script authenticates with `?token=` and sends no Origin.
    A client that sends an Origin is always checked.
    """
    checked = AllowedHostsOriginValidator(inner)

    async def app(scope, receive, send):
        headers = dict(scope.get("headers", []))
        has_token = "token" in parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if b"origin" not in headers and has_token:
            return await inner(scope, receive, send)
        return await checked(scope, receive, send)

    return app
