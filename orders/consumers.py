"""`WS /ws/orders/`: the status of a customer's orders (every order for staff), live."""

from accounts.websocket import UNAUTHENTICATED, ShopConsumer
from orders.live import STAFF_GROUP, user_group


class OrderStatusConsumer(ShopConsumer):
    """Pushes `{"type": "order.status", "order_id", "status", "at"}` on every change.

    Sent by orders.receivers after each status change commits, from whichever process made
    it (the channel layer is Redis in production).
    """

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=UNAUTHENTICATED)
            return
        self.groups_joined = [STAFF_GROUP if user.is_admin else user_group(user.pk)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        await self.send_json({"type": "error", "code": "read_only"})

    async def order_status(self, event):
        if await self.session_revoked():  # a customer's orders are not for a logged-out session
            await self.close(code=UNAUTHENTICATED)
            return
        await self.send_json(
            {
                "type": "order.status",
                "order_id": event["order_id"],
                "status": event["status"],
                "at": event["at"],
            }
        )
