"""The tokens of the links the shop e-mails: verify an address, reset a password, confirm a
new address.

A token is Django's signing of `{user id, a digest of the account's state}` with a salt per
purpose, and expires after its purpose's hours (django.core.signing's max_age). Nothing is
stored: the digest covers what the link's use changes (the verified flag, the password
hash, the address), so a used or outdated link no longer matches and fails, as Django's
PasswordResetTokenGenerator does for its own links (which has one lifetime for every
purpose, PASSWORD_RESET_TIMEOUT, hence signing here).
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.errors import LinkExpired, LinkInvalid
from accounts.models import User


@dataclass(frozen=True)
class Purpose:
    name: str
    hours_setting: str

    @property
    def max_age(self) -> int:
        return int(getattr(settings, self.hours_setting) * 3600)


VERIFY_EMAIL = Purpose("verify_email", "EMAIL_VERIFY_HOURS")
PASSWORD_RESET = Purpose("password_reset", "PASSWORD_RESET_HOURS")
EMAIL_CHANGE = Purpose("email_change", "EMAIL_VERIFY_HOURS")


def _state(purpose: Purpose, user: User, extra: str) -> str:
    # Every link dies with a new password, a new address, or a reset of the sign-ins.
    parts: list[Any] = [user.password, user.email, user.token_generation]
    if purpose is PASSWORD_RESET:
        parts.append(user.last_login)  # a sign-in since the link was sent uses it up
    else:
        parts.append(user.email_verified)
    value = "|".join(str(part) for part in [user.pk, user.is_active, *parts, extra])
    return salted_hmac(f"accounts.links.{purpose.name}", value).hexdigest()[:32]


def link_token(purpose: Purpose, user: User, *, extra: str = "") -> str:
    """A token for `user`'s link; `extra` is data the link carries (a new e-mail address)."""
    payload = {"u": user.pk, "s": _state(purpose, user, extra), "x": extra}
    return signing.dumps(payload, salt=f"accounts.links.{purpose.name}", compress=True)


def link_user(purpose: Purpose, token: object) -> tuple[User, str]:
    """The user a token was made for and its `extra`; LinkExpired or LinkInvalid (altered,
    for another purpose, used already, or made for an account that changed since)."""
    if not isinstance(token, str) or not 0 < len(token) <= 1024:
        raise LinkInvalid()
    try:
        payload = signing.loads(
            token, salt=f"accounts.links.{purpose.name}", max_age=purpose.max_age
        )
    except signing.SignatureExpired as exc:
        raise LinkExpired() from exc
    except (signing.BadSignature, ValueError) as exc:
        raise LinkInvalid() from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise LinkInvalid()
    extra = payload.get("x") if isinstance(payload.get("x"), str) else ""
    user = User.objects.filter(pk=payload["u"], is_active=True, is_guest=False).first()
    if user is None or not constant_time_compare(
        str(payload.get("s")), _state(purpose, user, extra)
    ):
        raise LinkInvalid()
    return user, extra
