import hashlib
import hmac

import pytest

from payments.errors import InvalidSignature
from payments.signatures import (
    mercadopago_manifest,
    mercadopago_verify,
    sandbox_sign,
    sandbox_verify,
)

SECRET = "whsec-test"
NOW = 1_800_000_000
BODY = b'{"type": "payment.updated", "data": {"id": "PAY-1"}}'


def test_a_sandbox_signature_verifies_over_the_raw_body():
    header = sandbox_sign(secret=SECRET, body=BODY, timestamp=NOW)
    sandbox_verify(secret=SECRET, header=header, body=BODY, now=NOW + 10)


@pytest.mark.parametrize(
    ("secret", "body", "signed_at", "now"),
    [
        ("other-secret", BODY, NOW, NOW),
        (SECRET, BODY + b" ", NOW, NOW),
        (SECRET, BODY, NOW, NOW + 301),
        (SECRET, BODY, NOW + 301, NOW),
    ],
    ids=["wrong secret", "tampered body", "stale", "from the future"],
)
def test_a_sandbox_signature_is_refused_when_anything_is_off(secret, body, signed_at, now):
    header = sandbox_sign(secret=secret, body=BODY, timestamp=signed_at)
    with pytest.raises(InvalidSignature):
        sandbox_verify(secret=SECRET, header=header, body=body, now=now)


@pytest.mark.parametrize("header", [None, "", "t=abc,v1=00", "v1=00", f"t={NOW}", "garbage"])
def test_a_malformed_sandbox_header_is_refused(header):
    with pytest.raises(InvalidSignature):
        sandbox_verify(secret=SECRET, header=header, body=BODY, now=NOW)


def mercadopago_header(ts_ms, data_id="ABC123", request_id="req-1", secret=SECRET):
    manifest = f"id:{data_id.lower()};request-id:{request_id};ts:{ts_ms};"
    digest = hmac.new(secret.encode(), manifest.encode(), hashlib.sha256).hexdigest()
    return f"ts={ts_ms},v1={digest}"


def test_the_mercadopago_manifest_leaves_out_absent_parts():
    assert mercadopago_manifest(data_id="ABC", request_id="r", ts="1") == (
        "id:abc;request-id:r;ts:1;"
    )
    assert mercadopago_manifest(data_id=None, request_id=None, ts="1") == "ts:1;"


def test_a_mercadopago_signature_with_a_millisecond_timestamp_verifies():
    header = mercadopago_header(NOW * 1000)
    mercadopago_verify(
        secret=SECRET, x_signature=header, request_id="req-1", data_id="ABC123", now=NOW + 60
    )


@pytest.mark.parametrize(
    ("data_id", "request_id", "now"),
    [("ABC124", "req-1", NOW), ("ABC123", "req-2", NOW), ("ABC123", "req-1", NOW + 301)],
    ids=["other payment", "other request", "stale"],
)
def test_a_mercadopago_signature_is_refused_when_anything_is_off(data_id, request_id, now):
    with pytest.raises(InvalidSignature):
        mercadopago_verify(
            secret=SECRET,
            x_signature=mercadopago_header(NOW * 1000),
            request_id=request_id,
            data_id=data_id,
            now=now,
        )
