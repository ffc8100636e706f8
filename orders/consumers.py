"""`WS /ws/orders/`: the status of a customer's orders (every order for staff), live."""

from accounts.websocket import Close, ShopConsumer
from orders.live import STAFF_GROUP, user_group

FRAME = ("order_id", "status", "at", "carrier", "tracking_code", "tracking_url")


class OrderStatusConsumer(ShopConsumer):
    """Pushes `{"type": "order.status", "order_id", "status", "at"}` on every change, and a
    shipped order's `carrier`, `tracking_code` and `tracking_url`.

    Sent by orders.receivers after each status change commits, from whichever process made
    it (the channel layer is Redis in production).
    """

    async def join(self, user) -> list[str]:
        return [STAFF_GROUP if user.is_admin else user_group(user.pk)]

    async def order_status(self, event):
        if await self.session_revoked():  # a customer's orders are not for a logged-out session
            await self.close(code=Close.UNAUTHENTICATED)
            return
        frame = {name: event[name] for name in FRAME if name in event}
        await self.send_json({"type": "order.status", **frame})
