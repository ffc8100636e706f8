"""Webhook signatures: HMAC-SHA256 over what was sent, compared in constant time.

Two schemes, one rule each: the sandbox provider signs `{timestamp}.{raw body}` (as
Standard Webhooks and Stripe do); MercadoPago signs a manifest of the notification's data
id, the request id and its timestamp (in milliseconds). Either way a timestamp more than
TOLERANCE away from now is refused, so a captured notification cannot be replayed later.
"""

import hashlib
import hmac
import json
import time
from typing import Any

from payments.errors import InvalidSignature

TOLERANCE_SECONDS = 5 * 60
# Unix time in milliseconds has 13 digits; a longer "number" is no timestamp (and one of
# thousands of digits is more than `int()` accepts).
TIMESTAMP_DIGITS = 16


def _hmac(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _is_timestamp(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= TIMESTAMP_DIGITS


def _same(expected: str, signature: str) -> bool:
    """Constant-time comparison; a signature with non-ASCII characters is simply wrong."""
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "surrogatepass"))


def webhook_json(body: bytes) -> Any:
    """The signed body as JSON; a body that is not (or is nested past parsing) is refused."""
    try:
        return json.loads(body or b"{}")
    except (ValueError, RecursionError) as exc:
        raise InvalidSignature("The webhook body is not a payment notification.") from exc


def _parts(header: str | None) -> dict[str, str]:
    """`t=1700000000,v1=abc...` (also `ts=`) as a dict; malformed pairs are dropped."""
    pairs = (item.strip().split("=", 1) for item in (header or "").split(","))
    return {pair[0]: pair[1] for pair in pairs if len(pair) == 2}


def _check_fresh(seconds: float, now: float | None) -> None:
    if abs((time.time() if now is None else now) - seconds) > TOLERANCE_SECONDS:
        raise InvalidSignature("The webhook timestamp is more than 5 minutes off.")


def sandbox_sign(*, secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The header value the sandbox provider sends with a webhook body."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={_hmac(secret, f'{timestamp}.'.encode() + body)}"


def sandbox_verify(*, secret: str, header: str | None, body: bytes, now: float | None = None):
    """Accept the raw body only if `header` signs it, recently, with our secret."""
    parts = _parts(header)
    timestamp, signature = parts.get("t", ""), parts.get("v1", "")
    if not (_is_timestamp(timestamp) and signature):
        raise InvalidSignature()
    _check_fresh(int(timestamp), now)
    if not _same(_hmac(secret, f"{timestamp}.".encode() + body), signature):
        raise InvalidSignature()


def mercadopago_manifest(*, data_id: str | None, request_id: str | None, ts: str) -> str:
    """`id:{data.id lower-cased};request-id:{x-request-id};ts:{ts};`, absent parts left out."""
    manifest = f"id:{data_id.lower()};" if data_id else ""
    manifest += f"request-id:{request_id};" if request_id else ""
    return manifest + f"ts:{ts};"


def mercadopago_verify(
    *,
    secret: str,
    x_signature: str | None,
    request_id: str | None,
    data_id: str | None,
    now: float | None = None,
) -> None:
    """Check MercadoPago's `x-signature: ts=...,v1=...` header.

    `ts` is in milliseconds; MercadoPago's own SDK compares it as seconds, which refuses
    every real notification, so the tolerance is applied here on the right scale.
    """
    parts = _parts(x_signature)
    ts, signature = parts.get("ts", ""), parts.get("v1", "")
    if not (_is_timestamp(ts) and signature):
        raise InvalidSignature()
    _check_fresh(int(ts) / 1000, now)
    manifest = mercadopago_manifest(data_id=data_id, request_id=request_id, ts=ts)
    if not _same(_hmac(secret, manifest.encode()), signature):
        raise InvalidSignature()
