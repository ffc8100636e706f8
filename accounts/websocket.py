"""WebSocket authentication: a JWT access token in the query string, else the session."""

from urllib.parse import parse_qs

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
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
