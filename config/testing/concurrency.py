"""Start real threads together, for tests that race requests against the database."""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
