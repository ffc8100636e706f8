from celery import shared_task

from accounts.emails import account_mail_send, account_mails_unsent_send
from accounts.tokens import denied_tokens_purge


@shared_task
def purge_denied_tokens() -> int:
    """Beat: forget denials whose tokens have all expired."""
    return denied_tokens_purge()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_account_mail(mail_id: int) -> bool:
    return account_mail_send(mail_id=mail_id)


@shared_task
def send_unsent_account_mails() -> int:
    """Beat: account e-mails whose task was lost (the broker was down after the commit)."""
    return account_mails_unsent_send()


@shared_task  # no retry: a mail that failed is left unsent, and the sweep sends it
def send_password_reset(email: str) -> bool:
    from accounts.services import password_reset_mail

    return password_reset_mail(email=email)
