"""Tokens that must stop working before they expire: the denylist.

A JWT is valid until it expires. Every token of one sign-in carries the session's id (`sid`,
the first refresh token's `jti`, kept through rotation), so a logout ends the whole session:
it denies the session and the access token presented with it (`jti`) until the last token
that could carry them has expired, and every door (the API, `token/verify`, `token/refresh`,
WebSockets, the lean claim handler) refuses them at once.

The database holds the record (DeniedToken) and the cache answers each check (Redis in
production: one round trip, every worker sees it). A cache that lost its data (Redis
restarted) must not bring logged-out tokens back: the cache holds them only together with
LOADED, set once every denial of the database has been copied in, and a check that finds
LOADED missing copies them again first.

A password reset or change ends every sign-in of the account at once: each token carries
the account's token generation (`gen`) from when it was minted, and the reset moves the
account's generation on (User.token_generation, copied to the cache like a denial), so
every token minted before falls behind and is refused on every door.
"""

import logging
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenBackendError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.state import token_backend  # the one every token uses
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken, Token

from core.cache import CACHE_ERRORS

logger = logging.getLogger(__name__)
ROLE_CLAIM = "role"
GUEST_ROLE = "guest"
SESSION_CLAIM = "sid"
GENERATION_CLAIM = "gen"
LOADED = "jwt-denied:loaded"
_RELOADING = "jwt-denied:reloading"


def denied_key(token_id: str) -> str:
    return f"jwt-denied:{token_id}"


def _token_ids(claims) -> list[str]:
    """The ids a denial may name for a token with these claims: its own, its session's."""
    ids = [claims.get(api_settings.JTI_CLAIM, ""), claims.get(SESSION_CLAIM, "")]
    return [token_id for token_id in ids if token_id]


def denied_keys(claims) -> list[str]:
    """The cache keys that, if present, refuse a token with these claims."""
    return [denied_key(token_id) for token_id in _token_ids(claims)]


def generation_key(claims) -> str:
    """The cache key of the token generation of the account these claims name ('' if none):
    a token whose `gen` is below it was minted before a password reset or change."""
    user_id = claims.get(api_settings.USER_ID_CLAIM)
    return _generation_key(user_id) if user_id is not None else ""


def _generation_key(user_id) -> str:
    return f"jwt-gen:{user_id}"


def generation_outdated(claims) -> bool:
    """Whether the database's record says a new password came after these claims' token."""
    from accounts.models import User

    return User.objects.filter(
        pk=claims.get(api_settings.USER_ID_CLAIM), token_generation__gt=token_generation(claims)
    ).exists()


def token_generation(claims) -> int:
    generation = claims.get(GENERATION_CLAIM, 0)
    return generation if isinstance(generation, int) else 0


def _generation_lifetime() -> timedelta:
    """How long a moved generation matters: until the last token minted before it expired."""
    return api_settings.REFRESH_TOKEN_LIFETIME + api_settings.ACCESS_TOKEN_LIFETIME


def user_tokens_revoke(*, user) -> None:
    """Refuse every token minted for `user` until now, on every door, for good: the
    account's generation moves on (in the caller's transaction; the cache learns it once
    that commits). Django sessions end on their own with the password hash they carry."""
    from accounts.models import User

    now = timezone.now()
    User.objects.filter(pk=user.pk).update(
        token_generation=models.F("token_generation") + 1, tokens_revoked_at=now
    )
    user.refresh_from_db(fields=["token_generation", "tokens_revoked_at"])
    key, generation = _generation_key(user.pk), user.token_generation
    timeout = int(_generation_lifetime().total_seconds()) + 1
    transaction.on_commit(lambda: _publish_generation(key, generation, timeout))


def _publish_generation(key: str, generation: int, timeout: int) -> None:
    # The database is the record (JWTAuthentication and refresh read it too): a cache down
    # at this moment must not turn a committed password change into an error.
    try:
        if (cache.get(key) or 0) < generation:
            cache.set(key, generation, timeout=timeout)
    except CACHE_ERRORS:
        logger.warning("Could not copy a token generation into the cache: %s", key)


def token_ids_deny(*, ids: dict[str, datetime]) -> None:
    """Refuse each token id (a jti or a session id) until its time, for good and at once."""
    from accounts.models import DeniedToken

    now = timezone.now()
    ids = {token_id: until for token_id, until in ids.items() if token_id and until > now}
    for token_id, until in ids.items():
        try:
            with transaction.atomic():
                DeniedToken.objects.get_or_create(token_id=token_id, defaults={"until": until})
        except IntegrityError:
            pass  # denied by a concurrent logout: the same record
    # After the record, and written straight in: a reload that read the table before this
    # commit leaves it in place (a reload only adds).
    for token_id, until in ids.items():
        cache.set(denied_key(token_id), True, timeout=int((until - now).total_seconds()) + 1)


def session_revoke(*, claims) -> None:
    """End the session these token claims belong to, and the token itself."""
    exp = datetime.fromtimestamp(claims["exp"], tz=UTC)
    # A session ends when its last refresh token could have: one minted just now.
    session_until = timezone.now() + api_settings.REFRESH_TOKEN_LIFETIME
    ids = {claims.get(api_settings.JTI_CLAIM, ""): exp}
    if claims.get(SESSION_CLAIM):
        ids[claims[SESSION_CLAIM]] = max(exp, session_until)
    token_ids_deny(ids=ids)


def token_is_denied(claims) -> bool:
    """Whether a logout ended this token or its session, or a password reset or change
    came after it (raises the cache's errors)."""
    keys, generation = denied_keys(claims), generation_key(claims)
    wanted = [*keys, generation] if generation else keys
    if not wanted:
        return False
    found = cache.get_many([LOADED, *wanted])
    if LOADED not in found:
        if not _reload():  # another worker is copying the denials in: ask the database
            return _denied_in_database(claims)
        found = cache.get_many(wanted)
    if any(key in found for key in keys):
        return True
    return bool(generation) and found.get(generation, 0) > token_generation(claims)


def _denied_in_database(claims) -> bool:
    from accounts.models import DeniedToken

    if DeniedToken.objects.filter(
        token_id__in=_token_ids(claims), until__gt=timezone.now()
    ).exists():
        return True
    return generation_outdated(claims)


def _reload() -> bool:
    """Copy every live denial into the cache, then set LOADED; False if another process is."""
    from accounts.models import DeniedToken

    if not cache.add(_RELOADING, True, timeout=60):
        return False
    try:
        now = timezone.now()
        rows = DeniedToken.objects.filter(until__gt=now).values_list("token_id", "until")
        batch: dict[str, bool] = {}
        longest = 1
        for token_id, until in rows.iterator(chunk_size=2000):
            batch[denied_key(token_id)] = True
            longest = max(longest, int((until - now).total_seconds()) + 1)
            if len(batch) == 2000:
                cache.set_many(batch, timeout=longest)
                batch, longest = {}, 1
        if batch:
            cache.set_many(batch, timeout=longest)
        _reload_generations(now)
        cache.set(LOADED, True, timeout=None)
    finally:
        cache.delete(_RELOADING)
    return True


def _reload_generations(now: datetime) -> None:
    from accounts.models import User

    lifetime = _generation_lifetime()
    moved = User.objects.filter(tokens_revoked_at__gt=now - lifetime).values_list(
        "pk", "token_generation", "tokens_revoked_at"
    )
    for user_id, generation, revoked_at in moved.iterator(chunk_size=2000):
        timeout = int((revoked_at + lifetime - now).total_seconds()) + 1
        cache.set(_generation_key(user_id), generation, timeout=timeout)


def denied_tokens_purge() -> int:
    """Delete the denials whose tokens have all expired; return how many."""
    from accounts.models import DeniedToken

    return DeniedToken.objects.filter(until__lte=timezone.now() - timedelta(minutes=1)).delete()[0]


def token_pair_for(user) -> RefreshToken:
    """A refresh token (and, through it, access tokens) for `user`, carrying its role and
    the new session's id.

    The role ("guest" for a guest customer) lets the flash-sale claim handler leave
    administrators and guests to Django without a database read; every other check still
    loads the user.
    """
    refresh = _with_role(RefreshToken.for_user(user), user)
    refresh[SESSION_CLAIM] = refresh[api_settings.JTI_CLAIM]
    return refresh


def access_token_for(user) -> AccessToken:
    """An access token alone, carrying the role: no refresh token and none of its
    outstanding-token rows (the benchmarks make thousands)."""
    return _with_role(AccessToken.for_user(user), user)


def _with_role(token: Token, user) -> Token:
    token[ROLE_CLAIM] = GUEST_ROLE if user.is_guest else user.role
    token[GENERATION_CLAIM] = user.token_generation
    return token


def access_claims(raw: str, *, now: float) -> dict | None:
    """The claims of an access token simplejwt would accept (signature, expiry with its
    leeway, type) that names its role; else None. The denylist is the caller's to check."""
    claims = _signed_access_claims(raw)
    if claims is None:
        return None
    leeway = token_backend.get_leeway().total_seconds()
    return claims if claims.get("exp", 0) + leeway > now else None


@lru_cache(maxsize=100_000)
def _signed_access_claims(raw: str) -> dict | None:
    """Checking a signature costs ~100 us, most of a lean refusal, and a customer pressing
    "buy" again sends the same token: each token is checked once per process (its expiry,
    in access_claims, every time)."""
    try:
        claims = token_backend.decode(raw, verify=True)
    except TokenBackendError:
        return None
    if claims.get(api_settings.TOKEN_TYPE_CLAIM) != AccessToken.token_type:
        return None
    return claims if ROLE_CLAIM in claims else None


def claims_user_id(claims: dict) -> int:
    """The user id an access token names (raises KeyError or ValueError when it names none)."""
    return int(claims[api_settings.USER_ID_CLAIM])
