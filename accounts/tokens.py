"""Access tokens that must stop working before they expire: the denylist.

A JWT access token is valid until it expires; logging out denies its id (`jti`) in the
shared cache until then, so every authenticated endpoint and WebSocket refuses it at once.
The cache is Redis in production, so every worker sees the entry; an entry lives only as
long as the token would have.
"""

from django.core.cache import cache
from django.utils import timezone
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken, Token

ROLE_CLAIM = "role"
GUEST_ROLE = "guest"


def _key(jti: str) -> str:
    return f"jwt-denied:{jti}"


def access_token_deny(*, token: Token) -> None:
    """Refuse this access token from now until it expires."""
    remaining = int(token["exp"] - timezone.now().timestamp()) + 1
    if remaining > 0:
        cache.set(_key(token[api_settings.JTI_CLAIM]), True, timeout=remaining)


def access_token_is_denied(*, token: Token) -> bool:
    return cache.get(_key(token.get(api_settings.JTI_CLAIM, ""))) is not None


def token_pair_for(user) -> RefreshToken:
    """A refresh token (and, through it, access tokens) for `user`, carrying its role.

    The role ("guest" for a guest customer) lets the flash-sale claim handler leave
    administrators and guests to Django without a database read; every other check still
    loads the user.
    """
    return _with_role(RefreshToken.for_user(user), user)


def access_token_for(user) -> AccessToken:
    """An access token alone, carrying the role: no refresh token and none of its
    outstanding-token rows (the benchmarks make thousands)."""
    return _with_role(AccessToken.for_user(user), user)


def _with_role(token: Token, user) -> Token:
    token[ROLE_CLAIM] = GUEST_ROLE if user.is_guest else user.role
    return token
