"""Password guessing: one limit for every way to present a password (django-axes).

The API token endpoint, the admin login and the browsable API's session login all go
through `django.contrib.auth.authenticate`, where django-axes counts failures in the
database (so every worker shares them) per client address and per account. An account is
locked for LOGIN_LOCKOUT_MINUTES only: long enough to stop guessing, short enough that a
stranger cannot keep a customer out for long (and one address can lock few accounts
before that address is locked itself).
"""

import ipaddress
import logging

from axes.helpers import get_cool_off
from django.shortcuts import render
from rest_framework.request import Request

from accounts.errors import LoginLocked
from accounts.managers import normalize_email
from core.addresses import request_client_address

logger = logging.getLogger(__name__)


def retry_after_seconds() -> int:
    return int(get_cool_off().total_seconds())


def client_address(request) -> str | None:
    """The client's address as the throttles see it (NUM_PROXIES), for django-axes.

    A malformed X-Forwarded-For falls back to the peer; no valid address at all (a Unix
    socket) is None, which django-axes stores as unknown.
    """
    for address in (request_client_address(request), request.META.get("REMOTE_ADDR")):
        try:
            return str(ipaddress.ip_address(address))
        except ValueError:
            continue
    return None


def username(request, credentials) -> str | None:
    """The account a login names, compared as e-mails are stored (lower case).

    The API sends `email`; Django's login forms send `username`.
    """
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if value is None:
        data = getattr(request, "data", None) or request.POST
        value = data.get("email") or data.get("username")
    # django-axes stores at most 255 characters; a longer name would be a database error.
    return normalize_email(value)[:255] if isinstance(value, str) else None


def lockout_response(request, original_response=None, credentials=None):
    """The answer to a locked-out login on a Django form (admin, browsable API).

    API logins never get here: `refuse_locked_api_login` answered them already.
    """
    logger.warning("Password login refused while locked out: %s", request.path)
    locked = LoginLocked(retry_after=retry_after_seconds())
    response = render(
        request,
        "accounts/login_locked.html",
        {"minutes": retry_after_seconds() // 60},
        status=locked.status_code,
    )
    for header, value in locked.headers().items():  # Retry-After, as on the API
        response[header] = value
    return response


def refuse_locked_api_login(sender, request=None, **kwargs):
    """django-axes flags the request; an API (DRF) login answers 429 at once instead."""
    if isinstance(request, Request):
        raise LoginLocked(retry_after=retry_after_seconds())
