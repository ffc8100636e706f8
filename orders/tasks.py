from celery import shared_task

from orders.services import orders_expire


@shared_task
def expire_orders() -> int:
    """Celery beat, every 30 s: expire unpaid orders whose hold has passed (idempotent)."""
    return orders_expire()


@shared_task
def purge_fiscal_records() -> int:
    """Beat, daily: erased buyers' names and CPFs whose fiscal retention has run out."""
    from orders.personal import fiscal_records_purge

    return fiscal_records_purge()
