"""Publishing order status changes to WebSocket clients through the channel layer."""

import asyncio
import atexit
import logging
import threading
from concurrent.futures import Future, wait

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

logger = logging.getLogger(__name__)

STAFF_GROUP = "orders_staff"


def user_group(user_id: int) -> str:
    return f"user_{user_id}"


def order_status_publish(*, order_id: int, customer_id: int, status: str, at: str) -> None:
    """Tell the order's customer and the staff; best effort, after the commit.

    The timeline row is the record; a channel layer that is down must not turn a status
    change that already committed into an error, so a failure is logged and dropped.
    """
    event = {"type": "order.status", "order_id": order_id, "status": status, "at": at}
    groups = (user_group(customer_id), STAFF_GROUP)
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        # Embedded mode: the sockets live in this process, on the server's event loop.
        try:
            for group in groups:
                async_to_sync(layer.group_send)(group, event)
        except Exception:
            logger.exception("Could not publish the status of order %s", order_id)
        return
    _publisher.submit(_send(layer, groups, event))


async def _send(layer, groups, event) -> None:
    for group in groups:
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
            logger.error("Could not publish an order status", exc_info=future.exception())

    def drain(self, timeout: float = 2) -> None:
        wait(list(self._pending), timeout=timeout)


_publisher = _Publisher()
