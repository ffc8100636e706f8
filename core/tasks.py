"""Queue a Celery task once the current transaction commits, never inside the request.

With a broker (Redis) the task goes to a Celery worker. A broker that is down loses the
publish, never the answer: the change is committed, so the request reports its success, and
each task that matters has a sweep in beat that finds the rows it left undone.

The embedded mode has no broker and no worker process, and Celery's eager mode would run
the task inside the request that queued it (a ticket e-mail costs a quarter of a purchase);
there it runs on a background thread of this process instead. Tests run tasks inline after the commit (TASKS_IN_BACKGROUND=False).
"""

import logging
import math
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)
_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embedded-tasks")
_pending: set[Future] = set()  # queued and not yet run; each leaves the set when done


def enqueue(task, *args) -> None:
    """Run `task(*args)` after the commit: on a worker, or in the background when embedded."""
    transaction.on_commit(lambda: _dispatch(task, args))


def embedded() -> bool:
    """No broker: tasks run in this process, in the background."""
    return settings.CELERY_TASK_ALWAYS_EAGER and settings.TASKS_IN_BACKGROUND


def _dispatch(task, args) -> None:
    if embedded():
        _submit(task, args)
        return
    try:
        task.delay(*args)
    except Exception:  # kombu's and redis's errors alike: the broker is unreachable
        logger.exception("Could not queue %s%r; its sweep will pick it up", task.name, args)


def _submit(task, args) -> None:
    future = _background.submit(_run, task, args)
    _pending.add(future)
    future.add_done_callback(_pending.discard)


_last_run: dict[str, float] = {}
_schedule_lock = threading.Lock()


def run_due_periodic_tasks(now: float | None = None) -> list[str]:
    """The embedded mode's Celery beat: queue each CELERY_BEAT_SCHEDULE task whose period
    has passed since this process last queued it; return their names.

    Called on requests (core.middleware.EmbeddedBeatMiddleware), so `make run` expires
    orders with no extra process. The tasks are idempotent, so running late, or in two
    processes, is harmless.
    """
    now = time.monotonic() if now is None else now
    due = []
    with _schedule_lock:
        schedule: dict[str, dict[str, Any]] = settings.CELERY_BEAT_SCHEDULE
        for name, entry in schedule.items():
            if now - _last_run.get(name, -math.inf) >= entry["schedule"]:
                _last_run[name] = now
                due.append(entry["task"])
    for task in due:
        _submit(import_string(task), ())
    return due


def _run(task, args) -> None:
    try:
        task.apply(args=args, throw=True)
    except Exception:
        logger.exception("Background task %s%r failed", task.name, args)
    finally:
        close_old_connections()


# A sweep leaves the normal path this long to do its work, and gives up on rows this old.
SWEEP_AFTER = timedelta(minutes=2)
SWEEP_WITHIN = timedelta(days=1)


def sweep_window() -> tuple[datetime, datetime]:
    """(oldest, newest) creation times a sweep looks at, for a range filter."""
    now = timezone.now()
    return now - SWEEP_WITHIN, now - SWEEP_AFTER
