"""`WS /ws/flash-sales/{id}/`: a sale's remaining units, status and next drop, live."""

import asyncio
import time

from channels.db import database_sync_to_async

from accounts.websocket import Close, Refused, ShopConsumer
from flashsales.live import COALESCE_SECONDS, sale_figures, sale_group


class FlashSaleConsumer(ShopConsumer):
    """Sends `{"type": "flashsale.remaining", "remaining", "status", "current_drop",
    "next_drop_at"}` on connect and whenever they change, at most every 250 ms.

    A change only says "look" (flashsale.changed, after the commit, from any process);
    each watcher waits out the rest of its 250 ms, then sends the figures, read once per
    process for every watcher, if they differ from what it last sent.
    """

    async def join(self, user) -> list[str]:
        self.sale_id = self.scope["url_route"]["kwargs"]["sale_id"]
        self.first = await database_sync_to_async(sale_figures)(self.sale_id)
        if self.first is None:
            raise Refused(Close.NOT_FOUND)
        self.sent, self.sent_at, self.scheduled = None, 0.0, False
        return [sale_group(self.sale_id)]

    async def welcome(self):
        await self._send(self.first)

    async def flashsale_changed(self, event):
        if self.scheduled:
            return
        self.scheduled = True
        delay = max(0.0, self.sent_at + COALESCE_SECONDS - time.monotonic())
        asyncio.get_running_loop().call_later(delay, lambda: asyncio.ensure_future(self._refresh()))

    async def _refresh(self):
        self.scheduled = False
        figures = await database_sync_to_async(sale_figures)(self.sale_id)
        if figures is not None and figures != self.sent:
            await self._send(figures)

    async def _send(self, figures):
        self.sent, self.sent_at = figures, time.monotonic()
        await self.send_json(figures)
