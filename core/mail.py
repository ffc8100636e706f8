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
from typing import TypeVar

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone, translation

from core.locks import lock

logger = logging.getLogger(__name__)
M = TypeVar("M", bound=models.Model)


def send_once(
    queryset: models.QuerySet[M],
    pk: int,
    *,
    stamp: str,
    message: Callable[[M], EmailMessage | None],
    language: Callable[[M], str],
) -> bool:
    """Send `message(row)` unless the row's `stamp` field is set; then set it. False if sent
    already. A `message` of None means there is nothing to send any more: stamped unsent.
    The message is written in `language(row)`, the recipient's."""
    with transaction.atomic():
        row = lock(queryset.filter(pk=pk, **{stamp: None})).first()
        if row is None:
            return False
        with translation.override(language(row) or settings.LANGUAGE_CODE):
            email = message(row)
        if email is not None:
            email.send()
        type(row)._default_manager.filter(pk=pk).update(**{stamp: timezone.now()})
    if email is not None:
        logger.info("E-mail sent: %s", email.subject)
    return email is not None
