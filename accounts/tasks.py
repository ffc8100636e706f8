from celery import shared_task

from accounts.tokens import denied_tokens_purge


@shared_task
def purge_denied_tokens() -> int:
    """Beat: forget denials whose tokens have all expired."""
    return denied_tokens_purge()
