"""The flash sale's admission gate in Redis: refuse most claims before they reach the database.

One Lua script decides atomically, per claim: is the sale open, does the open drop have a
unit left, is this customer under the limit for the drop, are the customer and the client
address under their claim rates? Admitted claims then go to the database, which alone
decides (flashsales.services); the gate only filters, so it is built to err on the side of
admitting: when it and the database disagree the database wins, the claim's admission is
given back, and the gate is rebuilt from the database.

The gate's state is a cache of the database's: it is rebuilt from the sale row and the
drop's claims whenever it is missing (first claim, Redis restarted or flushed) or marked
stale (a sale re-planned or closed, a unit given back, a refused admission). While it is
being rebuilt, claims take the database path, which is always correct on its own.

Keys (one sale): `fs:{id}` hash (schedule, limit, taken, gen), `fs:{id}:d:{drop}` hash
customer -> claims in that drop, `fs:{id}:rebuild` the rebuild lock; rates `fs:rate:...`.
"""

import logging
import time
from collections.abc import Generator
from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from pathlib import Path

import redis
from django.conf import settings
from django.db.models import Count

from core.throttles import scope_rate
from flashsales import clock
from flashsales.models import Claim, FlashSale

logger = logging.getLogger(__name__)


class Code(IntEnum):
    """A verdict of the admission script (lua/admit.lua returns these numbers by name)."""

    UNKNOWN = 0  # the gate cannot judge (not built, being rebuilt): the database path
    ADMIT = 1
    NOT_OPEN = 2
    ENDED = 3
    SOLD_OUT = 4
    LIMIT = 5
    THROTTLED = 6
    TOKEN_DENIED = 7
    # The logout denylist is not in Redis (it restarted empty): the caller checks the token
    # against the database, which copies the denylist back in (accounts/tokens.py).
    DENYLIST_UNLOADED = 8


def _script(name: str) -> str:
    """A Lua script of lua/, its verdict names defined from Code (Redis caches it by SHA)."""
    names = ", ".join(code.name for code in Code)
    values = ", ".join(str(code.value) for code in Code)
    source = (Path(__file__).parent / "lua" / f"{name}.lua").read_text()
    return f"local {names} = {values}\n{source}"


ADMIT_SCRIPT, UNADMIT_SCRIPT, AGREE_SCRIPT = map(_script, ("admit", "unadmit", "agree"))
REBUILD_WAIT = 2.0  # seconds a claim waits for the gate to be rebuilt before the DB path
DROP_KEY_LIFETIME = 48 * 3600


@dataclass(frozen=True)
class Verdict:
    code: Code
    drop: int | None = None
    generation: str | None = None
    retry_after: int | None = None


def enabled() -> bool:
    return bool(settings.REDIS_URL)


@cache
def _client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


def sale_key(sale_id: int) -> str:
    return f"fs:{sale_id}"


def _rate(scope: str) -> tuple[int, int]:
    """The scope's DRF rate as (requests, seconds); (0, 1) when it has none: no limit."""
    return scope_rate(scope) or (0, 1)


def admit_arguments(
    *,
    sale_id: int,
    customer_id: int,
    address: str,
    now: float,
    rates: bool = True,
    denylist: tuple[str, list[str], str, int] | None = None,
):
    """KEYS and ARGV of the admission script (the ASGI handler runs it on its own client).

    `rates=False` leaves the claim rates out, for a caller that throttles on its own (DRF);
    `denylist` is (the "loaded" key, the token's keys, the account's generation key, the
    token's generation) in Redis when the caller's token has not been checked yet.
    """
    customer_rate, customer_window = _rate("claim") if rates else (0, 1)
    address_rate, address_window = _rate("claim_address") if rates else (0, 1)
    keys = [
        sale_key(sale_id),
        f"fs:rate:c:{customer_id}:{int(now // customer_window)}",
        f"fs:rate:a:{address}:{int(now // address_window)}",
    ]
    loaded, token_keys, generation_key, generation = denylist or ("", [], "", 0)
    keys += [loaded, *[*token_keys, "", ""][:2], generation_key]
    args = [
        now,
        customer_id,
        DROP_KEY_LIFETIME,
        customer_rate,
        customer_window,
        address_rate,
        address_window,
        generation,
    ]
    return keys, args


def verdict_from(reply) -> Verdict:
    code = Code(int(reply[0]))
    drop = int(reply[1]) if len(reply) > 1 else None
    generation = reply[2].decode() if len(reply) > 2 and isinstance(reply[2], bytes) else None
    retry = int(reply[3]) if len(reply) > 3 else None
    return Verdict(code, drop, generation, retry)


# The steps of one admission, for admission_steps' drivers (the sync `admit` below, the
# ASGI handler's async one): run the script (with the denylist keys or without), check the
# token in the database, rebuild the gate, wait for another process's rebuild.
ASK, ASK_WITHOUT_DENYLIST, CHECK_TOKEN, REBUILD, WAIT = (
    "ask",
    "ask_without_denylist",
    "check_token",
    "rebuild",
    "wait",
)


def admission_steps() -> Generator[str, object, Verdict]:
    """The one admission loop, written once for a sync and an async caller: it yields the
    next step, is sent that step's result, and returns the verdict.

    A gate not built is rebuilt (or another process's rebuild awaited) for up to
    REBUILD_WAIT; then UNKNOWN sends the claim down the database path. A denylist Redis
    lost is checked in the database once, which copies it back.
    """
    deadline = time.monotonic() + REBUILD_WAIT
    ask = ASK
    while True:
        verdict = yield ask
        if verdict.code == Code.DENYLIST_UNLOADED:
            if (yield CHECK_TOKEN):
                return Verdict(Code.TOKEN_DENIED)
            ask = ASK_WITHOUT_DENYLIST
            continue
        if verdict.code != Code.UNKNOWN or time.monotonic() > deadline:
            return verdict
        rebuilt = yield REBUILD
        if rebuilt is None:
            return verdict  # no such sale: Django answers 404
        if not rebuilt:
            yield WAIT


def admit(
    *, sale_id: int, customer_id: int, address: str, now: float | None = None, rates: bool = True
) -> Verdict:
    """Ask the gate; UNKNOWN when it cannot answer (no Redis, not built, Redis down).

    For Django's path, whose authentication has checked the denylist already."""
    if not enabled():
        return Verdict(Code.UNKNOWN)
    keys, args = admit_arguments(
        sale_id=sale_id,
        customer_id=customer_id,
        address=address,
        now=now or time.time(),
        rates=rates,
    )
    steps, result = admission_steps(), None
    try:
        step = next(steps)
        while True:
            if step == ASK:
                result = verdict_from(_client().eval(ADMIT_SCRIPT, len(keys), *keys, *args))
            elif step == REBUILD:
                result = rebuild(sale_id=sale_id)
            elif step == WAIT:  # another process is rebuilding it
                time.sleep(0.01)
            else:  # the denylist's steps: Django's path checked the token already
                raise AssertionError(f"admit cannot take the step {step!r}")
            step = steps.send(result)
    except StopIteration as done:
        return done.value
    except redis.RedisError:
        logger.warning("Flash-sale gate unavailable; claims take the database path")
        return Verdict(Code.UNKNOWN)


def unadmit(*, sale_id: int, customer_id: int, verdict: Verdict) -> None:
    """The database refused an admitted claim: give the unit and the slot back to the gate."""
    try:
        _client().eval(
            UNADMIT_SCRIPT,
            1,
            sale_key(sale_id),
            verdict.drop,
            customer_id,
            verdict.generation or "",
        )
    except redis.RedisError:
        logger.warning("Flash-sale gate unavailable; its state is rebuilt on the next claim")


def agree(*, sale_id: int, customer_id: int, verdict: Verdict, refusal: str) -> None:
    """The database refused an admitted claim as `sold_out` or `limit_reached`: the gate says
    so too from now on. (Giving the admission back instead would let the next customer in,
    to be refused again: a loop of database work while claims are still being written.)"""
    try:
        _client().eval(
            AGREE_SCRIPT,
            1,
            sale_key(sale_id),
            refusal,
            verdict.drop,
            customer_id,
            verdict.generation or "",
        )
    except redis.RedisError:
        logger.warning("Flash-sale gate unavailable; its state is rebuilt on the next claim")


def invalidate(*, sale_id: int) -> None:
    """The gate may no longer match the database: mark it stale (no admission from it) and
    rebuild it from the database now."""
    if not enabled():
        return
    try:
        _client().hdel(sale_key(sale_id), "ready")
        rebuild(sale_id=sale_id)
    except redis.RedisError:
        logger.warning("Flash-sale gate unavailable; could not mark sale %s stale", sale_id)


def rebuild(*, sale_id: int) -> bool | None:
    """Load the gate of one sale from the database; False if another process is doing it,
    None if there is no such sale (its claims go to Django, which answers 404)."""
    client = _client()
    key = sale_key(sale_id)
    if not client.set(f"{key}:rebuild", 1, nx=True, px=5000):
        return False
    try:
        sale = FlashSale.objects.filter(pk=sale_id).first()
        if sale is None:
            client.delete(key)
            return None
        now = time.time()
        drop = sale.current_drop(clock.now())
        counts = {}
        if drop is not None:
            counts = dict(
                Claim.objects.filter(sale_id=sale_id, drop=drop)
                .values_list("customer_id")
                .annotate(n=Count("id"))
                .values_list("customer_id", "n")
            )
        pipe = client.pipeline(transaction=True)
        pipe.delete(key)
        pipe.hset(
            key,
            mapping={
                "first": sale.first_drop_at.timestamp(),
                "interval": sale.interval.total_seconds(),
                "drops": sale.drops,
                "per_drop": sale.units_per_drop,
                "limit": sale.per_customer_limit,
                "taken": sale.units_taken,
                "closed": int(sale.closed_at is not None),
                "gen": f"{now:.6f}",
            },
        )
        if drop is not None:
            drop_key = f"{key}:d:{drop}"
            pipe.delete(drop_key)
            if counts:
                pipe.hset(drop_key, mapping=counts)
            pipe.expire(drop_key, DROP_KEY_LIFETIME)
        pipe.hset(key, "ready", 1)
        pipe.execute()
        return True
    finally:
        client.delete(f"{key}:rebuild")


def states() -> dict[int, dict]:
    """Each running sale's units released and taken (database) and taken (gate; None if the
    gate is not built), for the metrics."""
    now, found = clock.now(), {}
    for sale in FlashSale.objects.filter(closed_at=None):
        if sale.current_drop(now) is None:
            continue
        try:
            gate_taken = _client().hget(sale_key(sale.pk), "taken")
        except redis.RedisError:
            gate_taken = None
        found[sale.pk] = {
            "released": sale.units_released,
            "taken": sale.units_taken,
            "gate_taken": None if gate_taken is None else int(gate_taken),
        }
    return found


def reconcile() -> int:
    """Rebuild the gate of every sale still running whose count differs from the database's.

    A worker killed between the gate's admission and the database's commit leaves the gate
    counting a unit nobody holds; this (Celery beat, every 30 s) gives such units back.
    A claim in flight at that instant may make the gate count one short; the database then
    refuses the extra admission, and the gate is rebuilt again.
    """
    if not enabled():
        return 0
    now, rebuilt = clock.now(), 0
    for sale in FlashSale.objects.filter(closed_at=None):
        if sale.current_drop(now) is None:
            continue
        try:
            taken = _client().hget(sale_key(sale.pk), "taken")
            if taken is not None and int(taken) != sale.units_taken:
                rebuilt += bool(rebuild(sale_id=sale.pk))
        except redis.RedisError:
            logger.warning("Flash-sale gate unavailable; reconciliation skipped")
            return rebuilt
    return rebuilt
