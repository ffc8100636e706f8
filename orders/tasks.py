from celery import shared_task

from orders.services import orders_expire


@shared_task
def expire_orders() -> int:
    """Celery beat, every 30 s: expire unpaid orders whose hold has passed (idempotent)."""
    return orders_expire()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_shipped_email(order_id: int) -> bool:
    """Tell the customer their order is on its way, with its tracking link (once)."""
    from orders.emails import shipped_email_send

    return shipped_email_send(order_id=order_id)


@shared_task
def send_unsent_shipped_emails() -> int:
    """Beat: the shipped notices whose task never ran (the broker was down)."""
    from orders.emails import shipped_emails_unsent_send

    return shipped_emails_unsent_send()


@shared_task
def purge_fiscal_records() -> int:
    """Beat, daily: erased buyers' names and CPFs whose fiscal retention has run out."""
    from orders.personal import fiscal_records_purge

    return fiscal_records_purge()
