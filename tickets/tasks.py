from celery import shared_task

from tickets.services import ticket_email_send, ticket_emails_unsent_send


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_ticket_email(ticket_id: int) -> bool:
    return ticket_email_send(ticket_id=ticket_id)


@shared_task
def send_unsent_ticket_emails() -> int:
    """Beat: ticket e-mails whose task was lost (the broker was down after the commit)."""
    return ticket_emails_unsent_send()
