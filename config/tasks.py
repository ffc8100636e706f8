"""Queue a Celery task once the current transaction commits, never inside the request.

With a broker (Redis) the task goes to a Celery worker. The embedded mode has no broker and
no worker process, and Celery's eager mode would run the task inside the request that queued
it (a ticket e-mail costs a quarter of a purchase); there it runs on a background thread of
this process instead. Tests run tasks inline after the commit (TASKS_IN_BACKGROUND=False).
"""

import logging
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, transaction

logger = logging.getLogger(__name__)
_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embedded-tasks")
_pending: list[Future] = []


def enqueue(task, *args) -> None:
    """Run `task(*args)` after the commit: on a worker, or in the background when embedded."""
    transaction.on_commit(lambda: _dispatch(task, args))


def _dispatch(task, args) -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER and settings.TASKS_IN_BACKGROUND:
        _pending.append(_background.submit(_run, task, args))
    else:
        task.delay(*args)


def _run(task, args) -> None:
    try:
        task.apply(args=args, throw=True)
    except Exception:
        logger.exception("Background task %s%r failed", task.name, args)
    finally:
        close_old_connections()


def wait_for_background_tasks(timeout: float = 10) -> None:
    """Block until the tasks queued so far have run (for tests and shutdown)."""
    while _pending:
        _pending.pop(0).result(timeout=timeout)
