"""The claim hot path: `POST /api/flash-sales/{id}/claims` answered in front of Django.

When thousands press "buy" in the same second, almost every answer is a refusal (sold out,
limit reached, not open). This ASGI handler gives those without Django's request machinery
and without the database: it verifies the JWT itself (signature, expiry, type, role) and
asks the Redis gate (flashsales.gate) in one Lua call, which also checks the logout
denylist and the per-customer and per-address claim rates. Once a drop is sold out, each
worker remembers it for a fraction of a second (SOLD_OUT_MEMORY) and refuses without even
asking Redis; a unit given back is seen again within that time. Only admitted claims reach
the database, through the same service as every other claim (claim_admitted).

Anything else goes to Django unchanged: other paths and methods, session-authenticated or
badly signed requests (Django answers those in its own words), tokens without a role
claim, and every claim when there is no Redis (the database path, always correct alone).
"""

import asyncio
import json
import logging
import re
import time

import redis
import redis.asyncio as aioredis
from channels.db import database_sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation

from accounts.models import User
from accounts.permissions import is_registered_customer
from accounts.tokens import (
    LOADED,
    ROLE_CLAIM,
    access_claims,
    claims_user_id,
    denied_keys,
    generation_key,
    token_generation,
    token_is_denied,
)
from core.addresses import scope_client_address
from core.exceptions import ApplicationError, ServerError, error_body
from core.metrics import count_claim
from core.middleware import lean_answer_headers, lean_language, lean_request_id
from flashsales import errors, gate, services
from flashsales.serializers import ClaimCreatedSerializer

logger = logging.getLogger(__name__)
CLAIM_PATH = re.compile(r"^/api/flash-sales/([1-9][0-9]{0,17})/claims$")
SOLD_OUT_MEMORY = 0.25  # seconds a worker answers sold_out on its own


def _json_response(status: int, body: dict, headers: dict | None = None):
    payload = json.dumps(body, cls=DjangoJSONEncoder).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    raw += [(name.lower().encode(), value.encode()) for name, value in (headers or {}).items()]
    return status, raw, payload


def _error(error: ApplicationError, *, counted: bool = True):
    if counted:
        count_claim(error.code)
    return _json_response(error.status_code, error_body(error), error.headers())


class ClaimHandler:
    def __init__(self, django_app):
        self.django = django_app
        self.sold_out_until: dict[int, float] = {}
        self.redis = self.admit_script = self.loop = None

    async def __call__(self, scope, receive, send):
        answer, request_id = None, ""
        if scope["type"] == "http" and scope["method"] == "POST" and gate.enabled():
            match = CLAIM_PATH.match(scope["path"])
            if match:
                request_id, scope = lean_request_id(scope)  # before any log line of ours
                with translation.override(lean_language(scope)):
                    answer = await self.claim(scope, int(match.group(1)))
        if answer is None:
            return await self.django(scope, receive, send)
        status, headers, body = answer
        headers += lean_answer_headers(request_id)  # what Django's middleware would add
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _token(scope) -> dict | None:
        """The access token's claims if it is valid and names a role; else None (Django)."""
        header = next((v for k, v in scope["headers"] if k == b"authorization"), b"")
        scheme, _, raw = header.decode("latin-1").partition(" ")
        if scheme != "Bearer" or not raw:
            return None
        return access_claims(raw.strip(), now=time.time())

    async def claim(self, scope, sale_id: int):
        claims = self._token(scope)
        if claims is None or claims[ROLE_CLAIM] != User.Role.CUSTOMER:
            return None  # Django answers: 401, 403, or a session-authenticated claim
        if self.sold_out_until.get(sale_id, 0) > time.monotonic():
            return _error(errors.SoldOut())
        try:
            customer_id = claims_user_id(claims)
            verdict = await self._admit(scope, sale_id, customer_id, claims)
        except (redis.RedisError, OSError, KeyError, ValueError):
            logger.warning("Flash-sale gate unavailable; claim goes to Django")
            return None
        if verdict.code in (gate.Code.UNKNOWN, gate.Code.TOKEN_DENIED):
            # Being rebuilt (the database path answers meanwhile), or a logged-out token
            # (Django answers it in its own words).
            return None
        if verdict.code == gate.Code.SOLD_OUT:
            self.sold_out_until[sale_id] = time.monotonic() + SOLD_OUT_MEMORY
        refusal = services.claim_refusal(verdict)
        if refusal is not None:
            return _error(refusal)
        return await self._write(sale_id, customer_id, verdict)

    def _script(self):
        loop = asyncio.get_running_loop()
        if self.redis is None or self.loop is not loop:  # a client belongs to one event loop
            # Claims wait for one of a few connections rather than open one each (a rush
            # would exhaust Redis' and the pool's limits and fall through to Django).
            pool = aioredis.BlockingConnectionPool.from_url(
                settings.REDIS_URL, max_connections=32, timeout=5, socket_timeout=2
            )
            self.redis = aioredis.Redis(connection_pool=pool)
            self.admit_script = self.redis.register_script(gate.ADMIT_SCRIPT)
            self.loop = loop
        return self.admit_script

    async def _admit(self, scope, sale_id: int, customer_id: int, claims: dict) -> gate.Verdict:
        """gate.admission_steps, driven on this event loop."""
        script, now, address = self._script(), time.time(), scope_client_address(scope)
        generation = generation_key(claims)
        denylist = (
            cache.make_key(LOADED),
            [cache.make_key(k) for k in denied_keys(claims)],
            cache.make_key(generation) if generation else "",
            token_generation(claims),
        )
        steps, result = gate.admission_steps(), None
        try:
            step = next(steps)
            while True:
                if step in (gate.ASK, gate.ASK_WITHOUT_DENYLIST):
                    keys, args = gate.admit_arguments(
                        sale_id=sale_id,
                        customer_id=customer_id,
                        address=address,
                        now=now,
                        denylist=denylist if step == gate.ASK else None,
                    )
                    result = gate.verdict_from(await script(keys=keys, args=args))
                elif step == gate.CHECK_TOKEN:
                    result = await database_sync_to_async(token_is_denied)(claims)
                elif step == gate.REBUILD:
                    result = await database_sync_to_async(gate.rebuild)(sale_id=sale_id)
                elif step == gate.WAIT:  # another worker is rebuilding it
                    await asyncio.sleep(0.01)
                else:
                    raise AssertionError(f"unknown admission step {step!r}")
                step = steps.send(result)
        except StopIteration as done:
            return done.value

    @database_sync_to_async
    def _write(self, sale_id: int, customer_id: int, verdict: gate.Verdict):
        customer = User.objects.filter(pk=customer_id, is_active=True).first()
        if not is_registered_customer(customer):
            # The token outlived the account or its role: Django answers in its own words.
            gate.unadmit(sale_id=sale_id, customer_id=customer_id, verdict=verdict)
            return None
        try:
            claim = services.claim_admitted(sale_id=sale_id, customer=customer, verdict=verdict)
        except ApplicationError as exc:
            return _error(exc)
        except Exception:
            logger.exception("Claim on sale %s failed", sale_id)
            return _error(ServerError(), counted=False)
        count_claim("admitted")
        return _json_response(201, ClaimCreatedSerializer(claim).data)
