from celery import shared_task

from flashsales.services import flash_sales_close


@shared_task
def close_flash_sales() -> int:
    """Beat: give the unsold units of ended sales back to the stock."""
    return flash_sales_close()


@shared_task
def reconcile_flash_sale_gates() -> int:
    """Beat: give the gate back units admitted by a worker that died before writing them."""
    from flashsales import gate

    return gate.reconcile()
