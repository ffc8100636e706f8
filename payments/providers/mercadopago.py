"""MercadoPago's payments API (/v1/payments) through its official SDK.

Two things the SDK gets wrong for us are handled here: it sends a fresh random
`x-idempotency-key` on every call (a retried charge would be a second charge), so each call
carries the payment's own stable key; and its webhook validator reads the millisecond `ts`
as seconds, so signatures are checked by payments.signatures instead. The SDK's own retries
are off: payments.resilience retries and breaks the circuit for every provider alike.
"""

from decimal import Decimal

import mercadopago
import requests
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from mercadopago.config import RequestOptions
from mercadopago.http.http_client import HttpClient

from payments.errors import InvalidCardToken, InvalidSignature, ProviderRefused
from payments.models import Payment
from payments.providers.base import CardRequest, Charge, Notice, PixRequest, ProviderDown
from payments.signatures import mercadopago_verify, webhook_json

PUBLIC_API = "https://api.mercadopago.com"
STATUSES = {
    "approved": Payment.Status.APPROVED,
    "authorized": Payment.Status.APPROVED,
    "pending": Payment.Status.PENDING,
    "in_process": Payment.Status.PENDING,
    "in_mediation": Payment.Status.PENDING,
    "rejected": Payment.Status.REJECTED,
    "cancelled": Payment.Status.CANCELLED,
    "refunded": Payment.Status.REFUNDED,
    "charged_back": Payment.Status.REFUNDED,
}
RETRYABLE = {423, 429, 500, 502, 503, 504}


class _Client(HttpClient):
    """The SDK's HTTP client, sent to MERCADOPAGO_API_URL (a local fake in tests)."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")

    def request(self, method, url, maxretries=None, retry_on=None, backoff_factor=None, **kw):
        if url.startswith(PUBLIC_API):
            url = self.base_url + url[len(PUBLIC_API) :]
        try:
            response = requests.request(method, url, **kw)
        except requests.RequestException as exc:
            raise ProviderDown(f"MercadoPago unreachable: {exc.__class__.__name__}") from exc
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = None
        return {"status": response.status_code, "response": body}


def _amount(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01")))


class MercadoPagoProvider:
    name = "mercadopago"

    def __init__(self):
        self.sdk = mercadopago.SDK(
            settings.MERCADOPAGO_ACCESS_TOKEN, http_client=_Client(settings.MERCADOPAGO_API_URL)
        )

    def _options(self, key: str | None = None) -> RequestOptions:
        headers = {"x-idempotency-key": key} if key else None
        return RequestOptions(
            connection_timeout=settings.PAYMENT_PROVIDER_TIMEOUT,
            custom_headers=headers,
            max_retries=0,
        )

    def _answer(self, result) -> dict:
        status, body = result["status"], result["response"] or {}
        if status in RETRYABLE:
            raise ProviderDown(f"MercadoPago answered {status}")
        if status == 404:
            raise ProviderRefused(_("The provider knows no such payment."), code="unknown_payment")
        if status >= 400:
            message = str(body.get("message", "")) if isinstance(body, dict) else ""
            if "token" in message.lower():
                raise InvalidCardToken()
            raise ProviderRefused(f"MercadoPago refused the request ({status}). {message}".strip())
        return body

    def _charge(self, body: dict) -> Charge:
        card = body.get("card") or {}
        interaction = (body.get("point_of_interaction") or {}).get("transaction_data") or {}
        three_ds = body.get("three_ds_info") or {}
        return Charge(
            id=str(body["id"]),
            status=STATUSES.get(body.get("status"), Payment.Status.PENDING),
            status_detail=str(body.get("status_detail") or "")[:64],
            pix_copy_paste=interaction.get("qr_code") or "",
            pix_txid=str(interaction.get("transaction_id") or "")[:35],
            action_url=three_ds.get("external_resource_url") or "",
            card_brand=str(body.get("payment_method_id") or "") if card else "",
            card_last4=str(card.get("last_four_digits") or ""),
            card_exp_month=card.get("expiration_month"),
            card_exp_year=card.get("expiration_year"),
            raw={k: body.get(k) for k in ("id", "status", "status_detail", "transaction_amount")},
        )

    def create_pix(self, request: PixRequest) -> Charge:
        data = {
            "transaction_amount": _amount(request.amount),
            "description": request.description,
            "payment_method_id": "pix",
            "payer": {"email": request.payer_email},
            "external_reference": request.reference,
        }
        if request.expires_at:
            local = timezone.localtime(request.expires_at)
            data["date_of_expiration"] = local.isoformat(timespec="milliseconds")
        result = self.sdk.payment().create(data, self._options(request.key))
        return self._charge(self._answer(result))

    def create_card(self, request: CardRequest) -> Charge:
        data = {
            "transaction_amount": _amount(request.amount),
            "description": request.description,
            "token": request.token,
            "installments": request.installments,
            "payer": {"email": request.payer_email},
            "external_reference": request.reference,
        }
        result = self.sdk.payment().create(data, self._options(request.key))
        return self._charge(self._answer(result))

    def fetch(self, payment_id: str) -> Charge:
        return self._charge(self._answer(self.sdk.payment().get(payment_id, self._options())))

    def refund(self, *, payment_id: str, key: str) -> Charge:
        self._answer(self.sdk.refund().create(payment_id, None, self._options(key)))
        return self.fetch(payment_id)

    def read_webhook(self, *, headers, query, body: bytes) -> Notice:
        data_id = query.get("data.id") or query.get("id")
        mercadopago_verify(
            secret=settings.MERCADOPAGO_WEBHOOK_SECRET,
            x_signature=headers.get("x-signature"),
            request_id=headers.get("x-request-id"),
            data_id=data_id,
        )
        event = webhook_json(body)
        event_id = event.get("id") if isinstance(event, dict) else None
        topic = query.get("type") or (event.get("type") if isinstance(event, dict) else None)
        if not data_id or event_id is None:
            raise InvalidSignature("The notification names no event or payment.")
        # Only the query's data.id is signed: the payment is named by it, and re-fetched.
        return Notice(event_id=str(event_id), payment_id=data_id if topic == "payment" else "")
