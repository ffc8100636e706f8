"""A local stand-in for MercadoPago's payments API, served on loopback for the tests.

Behaves as the documentation describes the parts the shop uses: POST /v1/payments (Pix and
card, deduplicated by x-idempotency-key, 409 for a reused key with other parameters),
GET /v1/payments/{id}, POST /v1/payments/{id}/refunds. It records every request and can be
told to fail the next calls with a 500, as a provider in trouble does.
"""

import hashlib
import hmac
import json
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from payments import pix
from payments.signatures import mercadopago_manifest

TOKENS = {  # card token -> (status, status_detail), as the test cards' holder names pick them
    "tok_apro": ("approved", "accredited"),
    "tok_othe": ("rejected", "cc_rejected_other_reason"),
    "tok_fund": ("rejected", "cc_rejected_insufficient_amount"),
    "tok_cont": ("in_process", "pending_contingency"),
}


def notification_headers(
    *, secret: str, data_id: str, request_id: str, ts_ms: int | None = None
) -> dict[str, str]:
    """The headers MercadoPago sends with a notification: its request id, and `x-signature`
    over the manifest of the data id, that request id and the time in milliseconds."""
    ts = str(int(time.time() * 1000) if ts_ms is None else ts_ms)
    manifest = mercadopago_manifest(data_id=data_id, request_id=request_id, ts=ts)
    v1 = hmac.new(secret.encode(), manifest.encode(), hashlib.sha256).hexdigest()
    return {"X-Signature": f"ts={ts},v1={v1}", "X-Request-ID": request_id}


class FakeMercadoPago:
    def __init__(self, access_token: str = "TEST-token"):
        self.access_token = access_token
        self.payments: dict[str, dict] = {}
        self.keys: dict[str, tuple[str, dict]] = {}
        self.requests: list[dict] = []
        self.fail_next = 0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def set_status(self, payment_id: str, status: str, detail: str = "accredited") -> None:
        with self.lock:
            self.payments[payment_id].update(status=status, status_detail=detail)

    def calls(self, method: str, prefix: str) -> list[dict]:
        return [r for r in self.requests if r["method"] == method and r["path"].startswith(prefix)]

    def _handle(self, method: str, path: str, headers, body: bytes) -> tuple[int, dict]:
        with self.lock:
            self.requests.append(
                {
                    "method": method,
                    "path": path,
                    "headers": dict(headers),
                    "body": json.loads(body) if body else None,
                }
            )
            if headers.get("Authorization") != f"Bearer {self.access_token}":
                return 401, {"message": "invalid access token"}
            if self.fail_next:
                self.fail_next -= 1
                return 500, {"message": "internal_error"}
            parts = path.split("?")[0].strip("/").split("/")
            if method == "POST" and parts == ["v1", "payments"]:
                return self._create(headers.get("x-idempotency-key"), json.loads(body))
            if method == "GET" and len(parts) == 3 and parts[:2] == ["v1", "payments"]:
                found = self.payments.get(parts[2])
                return (200, found) if found else (404, {"message": "Payment not found"})
            if method == "POST" and len(parts) == 4 and parts[3] == "refunds":
                found = self.payments.get(parts[2])
                if not found:
                    return 404, {"message": "Payment not found"}
                if found["status"] != "approved":
                    return 400, {"message": "Payment not refundable"}
                found.update(status="refunded", status_detail="refunded")
                return 201, {"id": len(self.requests), "payment_id": found["id"]}
            return 404, {"message": "resource not found"}

    def _create(self, key, data) -> tuple[int, dict]:
        if key in self.keys:
            payment_id, original = self.keys[key]
            if original != data:
                return 409, {"message": "idempotency key already used with other parameters"}
            return 201, self.payments[payment_id]
        payment_id = str(10_000_000 + len(self.payments))
        payment = {
            "id": int(payment_id),
            "transaction_amount": data["transaction_amount"],
            "external_reference": data.get("external_reference"),
        }
        if data.get("payment_method_id") == "pix":
            code = pix.BRCode(
                merchant_name="Loja",
                merchant_city="Sao Paulo",
                location=f"pix.mercadopago.example/{payment_id}",
                amount=Decimal(str(data["transaction_amount"])),
            )
            payment.update(
                status="pending",
                status_detail="pending_waiting_transfer",
                payment_method_id="pix",
                point_of_interaction={
                    "transaction_data": {
                        "qr_code": code.payload(),
                        "qr_code_base64": "",
                        "ticket_url": "",
                    }
                },
            )
        else:
            if data.get("token") not in TOKENS:
                return 400, {"message": "invalid card token"}
            status, detail = TOKENS[data["token"]]
            payment.update(
                status=status,
                status_detail=detail,
                payment_method_id="master",
                card={"last_four_digits": "6351", "expiration_month": 11, "expiration_year": 2030},
            )
        self.payments[payment_id] = payment
        self.keys[key] = (payment_id, data)
        return 201, payment

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, answer = fake._handle(self.command, self.path, self.headers, body)
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _serve  # noqa: N815 - http.server's names

            def log_message(self, *args):
                pass

        return Handler
