from celery import shared_task

from flashsales.services import flash_sales_close


@shared_task
def close_flash_sales() -> int:
    """Beat: give the unsold units of ended sales back to the stock."""
    return flash_sales_close()
