"""`WS /ws/flash-sales/{id}/`: a sale's remaining units, status and next drop, live."""

import asyncio
import time

from channels.db import database_sync_to_async

from accounts.websocket import UNAUTHENTICATED, ShopConsumer
from flashsales.live import COALESCE_SECONDS, sale_figures, sale_group

NOT_FOUND = 4404


class FlashSaleConsumer(ShopConsumer):
    """Sends `{"type": "flashsale.remaining", "remaining", "status", "current_drop",
    "next_drop_at"}` on connect and whenever they change, at most every 250 ms.

    A change only says "look" (flashsale.changed, after the commit, from any process);
    each watcher waits out the rest of its 250 ms, then sends the figures, read once per
    process for every watcher, if they differ from what it last sent.
    """

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=UNAUTHENTICATED)
            return
        self.sale_id = self.scope["url_route"]["kwargs"]["sale_id"]
        figures = await database_sync_to_async(sale_figures)(self.sale_id)
        if figures is None:
            await self.close(code=NOT_FOUND)
            return
        self.group = sale_group(self.sale_id)
        self.sent, self.sent_at, self.scheduled = None, 0.0, False
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._send(figures)

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        await self.send_json({"type": "error", "code": "read_only"})

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
