from celery import shared_task

from tickets.services import ticket_email_send


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_ticket_email(ticket_id: int) -> bool:
    return ticket_email_send(ticket_id=ticket_id)
