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
from dataclasses import dataclass
from functools import cache

import redis
from django.conf import settings
from django.db.models import Count

from flashsales import clock
from flashsales.models import Claim, FlashSale

logger = logging.getLogger(__name__)

# Verdicts of the admission script.
ADMIT, UNKNOWN, NOT_OPEN, ENDED, SOLD_OUT, LIMIT, THROTTLED, TOKEN_DENIED = 1, 0, 2, 3, 4, 5, 6, 7
# The logout denylist is not in Redis (it restarted empty): the caller checks the token
# against the database, which copies the denylist back in (accounts/tokens.py).
DENYLIST_UNLOADED = 8

# KEYS[4] is the denylist's "loaded" key when the caller's token is to be checked, KEYS[5]
# and KEYS[6] the token's and its session's denylist keys (accounts/tokens.py).
ADMIT_SCRIPT = """
if KEYS[4] ~= '' then
  if redis.call('EXISTS', KEYS[4]) == 0 then return {8} end
  if redis.call('EXISTS', KEYS[5]) == 1 then return {7} end
  if KEYS[6] ~= '' and redis.call('EXISTS', KEYS[6]) == 1 then return {7} end
end
local state = redis.call('HMGET', KEYS[1], 'ready', 'first', 'interval', 'drops', 'per_drop',
                         'limit', 'taken', 'closed', 'gen')
if not state[1] then return {0} end
local now = tonumber(ARGV[1])
local customer_rate, address_rate = tonumber(ARGV[4]), tonumber(ARGV[6])
if customer_rate > 0 then
  local used = redis.call('INCR', KEYS[2])
  if used == 1 then redis.call('EXPIRE', KEYS[2], tonumber(ARGV[5])) end
  if used > customer_rate then return {6, 0, 0, redis.call('TTL', KEYS[2])} end
end
if address_rate > 0 then
  local used = redis.call('INCR', KEYS[3])
  if used == 1 then redis.call('EXPIRE', KEYS[3], tonumber(ARGV[7])) end
  if used > address_rate then return {6, 0, 0, redis.call('TTL', KEYS[3])} end
end
local first, interval, drops = tonumber(state[2]), tonumber(state[3]), tonumber(state[4])
if now < first then return {2} end
if state[8] == '1' or now >= first + drops * interval then return {3} end
local drop = math.floor((now - first) / interval)
local released = tonumber(state[5]) * (drop + 1)
if tonumber(state[7]) >= released then return {4, drop, state[9]} end
local drop_key = KEYS[1] .. ':d:' .. drop
local mine = tonumber(redis.call('HGET', drop_key, ARGV[2]) or '0')
if mine >= tonumber(state[6]) then return {5, drop, state[9]} end
redis.call('HINCRBY', KEYS[1], 'taken', 1)
redis.call('HINCRBY', drop_key, ARGV[2], 1)
redis.call('EXPIRE', drop_key, tonumber(ARGV[3]))
return {1, drop, state[9]}
"""

# Give an admission back (the database refused it), unless the gate was rebuilt since.
UNADMIT_SCRIPT = """
if redis.call('HGET', KEYS[1], 'gen') ~= ARGV[3] then return 0 end
redis.call('HINCRBY', KEYS[1], 'taken', -1)
redis.call('HINCRBY', KEYS[1] .. ':d:' .. ARGV[1], ARGV[2], -1)
return 1
"""


REBUILD_WAIT = 2.0  # seconds a claim waits for the gate to be rebuilt before the DB path


# The database refused an admission the gate let through: agree with it, never less strict.
AGREE_SCRIPT = """
if redis.call('HGET', KEYS[1], 'gen') ~= ARGV[4] then return 0 end
if ARGV[1] == 'sold_out' then
  local released = tonumber(redis.call('HGET', KEYS[1], 'per_drop')) * (tonumber(ARGV[2]) + 1)
  if tonumber(redis.call('HGET', KEYS[1], 'taken')) < released then
    redis.call('HSET', KEYS[1], 'taken', released)
  end
else
  local limit = tonumber(redis.call('HGET', KEYS[1], 'limit'))
  redis.call('HSET', KEYS[1] .. ':d:' .. ARGV[2], ARGV[3], limit)
end
return 1
"""


@dataclass(frozen=True)
class Verdict:
    code: int
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


def _rate(name: str) -> tuple[int, int]:
    """'20/min' -> (20, 60); an empty rate -> (0, 1), no limit."""
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].get(name)
    if not rate:
        return 0, 1
    count, period = rate.split("/")
    return int(count), {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]


def admit_arguments(
    *,
    sale_id: int,
    customer_id: int,
    address: str,
    now: float,
    rates: bool = True,
    denylist: tuple[str, list[str]] | None = None,
):
    """KEYS and ARGV of the admission script (the ASGI handler runs it on its own client).

    `rates=False` leaves the claim rates out, for a caller that throttles on its own (DRF);
    `denylist` is (the "loaded" key, the token's keys) in Redis when the caller's token has
    not been checked against the logout denylist yet.
    """
    customer_rate, customer_window = _rate("claim") if rates else (0, 1)
    address_rate, address_window = _rate("claim_address") if rates else (0, 1)
    keys = [
        sale_key(sale_id),
        f"fs:rate:c:{customer_id}:{int(now // customer_window)}",
        f"fs:rate:a:{address}:{int(now // address_window)}",
    ]
    loaded, token_keys = denylist or ("", [])
    keys += [loaded, *[*token_keys, "", ""][:2]]
    args = [
        now,
        customer_id,
        48 * 3600,
        customer_rate,
        customer_window,
        address_rate,
        address_window,
    ]
    return keys, args


def verdict_from(reply) -> Verdict:
    code = int(reply[0])
    drop = int(reply[1]) if len(reply) > 1 else None
    generation = reply[2].decode() if len(reply) > 2 and isinstance(reply[2], bytes) else None
    retry = int(reply[3]) if len(reply) > 3 else None
    return Verdict(code, drop, generation, retry)


def admit(
    *, sale_id: int, customer_id: int, address: str, now: float | None = None, rates: bool = True
) -> Verdict:
    """Ask the gate; UNKNOWN when it cannot answer (no Redis, not built, Redis down)."""
    if not enabled():
        return Verdict(UNKNOWN)
    keys, args = admit_arguments(
        sale_id=sale_id,
        customer_id=customer_id,
        address=address,
        now=now or time.time(),
        rates=rates,
    )
    try:
        deadline = time.monotonic() + REBUILD_WAIT
        while True:
            verdict = verdict_from(_client().eval(ADMIT_SCRIPT, len(keys), *keys, *args))
            if verdict.code != UNKNOWN or time.monotonic() > deadline:
                return verdict
            rebuilt = rebuild(sale_id=sale_id)
            if rebuilt is None:
                return Verdict(UNKNOWN)
            if not rebuilt:
                time.sleep(0.01)  # another process is rebuilding it
    except redis.RedisError:
        logger.warning("Flash-sale gate unavailable; claims take the database path")
        return Verdict(UNKNOWN)


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
            pipe.expire(drop_key, 48 * 3600)
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
