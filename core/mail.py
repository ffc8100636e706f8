"""An e-mail sent once per row, however often its task runs.

Celery delivers a task at least once: acks_late and reject_on_worker_lost put a task whose
worker died back on the queue, and the broker's visibility timeout redelivers one whose
whole worker vanished. The row that records the sending is locked while the message is
handed to the mail server and stamped in the same transaction: a duplicate waits for the
lock and finds the stamp; a worker killed mid-send rolls the stamp back with its connection,
so the next run sends. Only a death between the server's acceptance and the commit can send
twice.
"""

import logging
from collections.abc import Callable

from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone

from core.locks import lock

logger = logging.getLogger(__name__)


def send_once(
    queryset: models.QuerySet,
    pk: int,
    *,
    stamp: str,
    message: Callable[[models.Model], EmailMessage],
) -> bool:
    """Send `message(row)` unless the row's `stamp` field is set; then set it. False if sent."""
    with transaction.atomic():
        row = lock(queryset.filter(pk=pk, **{stamp: None})).first()
        if row is None:
            return False
        email = message(row)
        email.send()
        type(row).objects.filter(pk=pk).update(**{stamp: timezone.now()})
    logger.info("E-mail sent: %s", email.subject)
    return True
