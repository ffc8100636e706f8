"""Publishing events to WebSocket groups through the channel layer, from any process.

Used after a commit (an order's status, a flash sale's figures). Best effort: the database
row is the record, so a channel layer that is down is logged, never turned into an error.
"""

import asyncio
import atexit
import logging
import threading
from concurrent.futures import Future, wait

import redis
from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

logger = logging.getLogger(__name__)


def publish(groups, event: dict) -> None:
    """Send `event` to every group; returns at once in production (Redis)."""
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        # Embedded mode: the sockets live in this process, on the server's event loop.
        try:
            for group in groups:
                async_to_sync(layer.group_send)(group, event)
        except Exception:
            logger.exception("Could not publish %s", event.get("type"))
        return
    _publisher.submit(_send(layer, groups, event))


async def _send(layer, groups, event) -> None:
    for group in groups:
        try:
            await layer.group_send(group, event)
        except (redis.ConnectionError, OSError):
            # Redis restarted since this process last published: the pooled connection was
            # closed under it and is now dropped, so one more try goes out on a fresh one.
            await layer.group_send(group, event)


class _Publisher:
    """One event loop on a thread of its own, for every publish of this process.

    `async_to_sync` in a WSGI worker would start an event loop, and with it a new Redis
    connection, for every publish: measured, that cost a third of a purchase. Here the loop
    and its connections live as long as the process, and the request does not wait for
    Redis at all. Publishes still queued when the process exits are given two seconds.
    """

    def __init__(self):
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()
        self._pending: set[Future] = set()
        atexit.register(self.drain)

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                threading.Thread(
                    target=self._loop.run_forever, name="channel-layer-publisher", daemon=True
                ).start()
            return self._loop

    def submit(self, coroutine) -> None:
        future = asyncio.run_coroutine_threadsafe(coroutine, self._running_loop())
        self._pending.add(future)
        future.add_done_callback(self._done)

    def _done(self, future: Future) -> None:
        self._pending.discard(future)
        if future.exception() is not None:
            logger.error("Could not publish an event", exc_info=future.exception())

    def drain(self, timeout: float = 2) -> None:
        wait(list(self._pending), timeout=timeout)


_publisher = _Publisher()
