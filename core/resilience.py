"""Every call to a service over the network goes through a `Dependency`: retried with
backoff, behind a circuit breaker.

stamina retries what failed in passing (a timeout, a connection error, a 5xx), which the
adapter signals by raising `DependencyDown`; anything else it raises is an answer (a refusal,
an unknown CEP), neither retried nor counted. After `<PREFIX>_BREAKER_FAILURES` calls in a row
fail, pybreaker opens the circuit: while it is open the shop answers 503 at once instead of
making customers wait on timeouts. The breaker's state is per process, which is enough to
shed load from a dead service; each worker finds out on its own.
"""

from collections.abc import Callable
from typing import TypeVar

import pybreaker
import stamina
from django.conf import settings

from core.exceptions import DependencyUnavailable

T = TypeVar("T")


class DependencyDown(Exception):
    """A call that failed in a way worth retrying: timeout, connection error, 5xx, 429."""


class Dependency:
    """One remote service and its policy, read from the `<prefix>_RETRY_ATTEMPTS`,
    `_RETRY_SECONDS`, `_BREAKER_FAILURES` and `_BREAKER_RESET_SECONDS` settings."""

    def __init__(self, name: str, *, prefix: str, unavailable: type[DependencyUnavailable]):
        self.prefix, self.unavailable = prefix, unavailable
        self.breaker = pybreaker.CircuitBreaker(
            fail_max=self._setting("BREAKER_FAILURES"),
            reset_timeout=self._setting("BREAKER_RESET_SECONDS"),
            exclude=[lambda exc: not isinstance(exc, DependencyDown)],
            name=name,
        )

    def _setting(self, name: str):
        return getattr(settings, f"{self.prefix}_{name}")

    def call(self, fn: Callable[[], T]) -> T:
        """Run one call; `unavailable` when it cannot be made to succeed."""
        try:
            for attempt in stamina.retry_context(
                on=DependencyDown,
                attempts=self._setting("RETRY_ATTEMPTS"),
                timeout=self._setting("RETRY_SECONDS"),
                wait_initial=0.1,
                wait_max=1.0,
                wait_jitter=0.1,
            ):
                with attempt:
                    return self.breaker.call(fn)
        except (DependencyDown, pybreaker.CircuitBreakerError) as exc:
            raise self.unavailable() from exc
        raise AssertionError("unreachable")  # pragma: no cover
