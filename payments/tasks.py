from celery import shared_task

from payments import services
from payments.providers.base import ProviderUnavailable


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_payment_confirmation(payment_id: int) -> bool:
    return services.payment_confirmation_send(payment_id=payment_id)


@shared_task
def send_unsent_payment_confirmations() -> int:
    """Beat: confirmations whose task was lost (the broker was down after the commit)."""
    return services.payment_confirmations_unsent_send()


@shared_task(autoretry_for=(ProviderUnavailable,), retry_backoff=True, max_retries=5)
def make_due_refund(payment_id: int) -> bool:
    return services.due_refund_make(payment_id=payment_id)


@shared_task
def retry_due_refunds() -> int:
    """Beat: refunds that could not be made when first due (the provider was down)."""
    return services.due_refunds_retry()


@shared_task(autoretry_for=(ProviderUnavailable,), retry_backoff=True, max_retries=5)
def deliver_sandbox_webhook(headers: dict, body: str) -> str:
    """The sandbox provider's webhook delivery, retried like a real provider's."""
    return services.webhook_receive(
        provider_name="sandbox", headers=headers, query={}, body=body.encode()
    )
