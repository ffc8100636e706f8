"""Start real threads together, for tests that race requests against the database."""

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from threading import Barrier
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def at_once(count: int, attempt: Callable[[int], T]) -> list[T]:
    """Run attempt(0) .. attempt(count - 1) on `count` threads released at the same moment.

    Each thread uses its own database connection and closes it when done.
    """
    barrier = Barrier(count)

    def run(i: int) -> T:
        try:
            barrier.wait()
            return attempt(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def run_async(coroutine_function, *args):
    """Run an async test scenario to completion on a thread of its own, and return its result.

    Not async_to_sync: the browser tests' Playwright keeps an event loop in the main thread,
    and async_to_sync refuses to run where a loop is running.
    """
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine_function(*args)).result()


def wait_for_background_tasks(timeout: float = 10) -> None:
    """Block until the embedded mode's background tasks queued so far have run."""
    from core import tasks

    wait(list(tasks._pending), timeout=timeout)


def clear_of_window_edge(duration: int = 60, margin: float = 5) -> None:
    """Sleep, at most `2 * margin` seconds, until the clock is `margin` seconds away from the
    edge of a clock-aligned throttle window (core/throttles.py), for a test that counts
    against a shop in other processes, whose clock it cannot pin."""
    into = time.time() % duration
    if into < margin or into > duration - margin:
        time.sleep((margin - into) % duration)
