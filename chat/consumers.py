"""`WS /ws/chat/`: the shop's live chat."""

import logging

from channels.db import database_sync_to_async
from django.utils.translation import gettext_lazy as _

from accounts.websocket import Close, Refused, ShopConsumer
from chat import selectors, services
from chat.live import CHAT_GROUP, message_frame
from core.exceptions import ApplicationError

logger = logging.getLogger(__name__)
HISTORY = 50


class ChatConsumer(ShopConsumer):
    """On connect `{"type": "chat.history", "messages"}` (the last 50, oldest first); a
    customer's `{"type": "chat.send", "message"}` reaches everyone as `chat.message`.

    Anything the consumer cannot take (not JSON, another type, a refused message, too many
    messages) is answered with `{"type": "error", "code", "detail"}`; the connection stays.
    """

    async def join(self, user) -> list[str]:
        if user.is_guest:  # guests neither read nor write the chat: they register first
            raise Refused(Close.FORBIDDEN)
        return [CHAT_GROUP]

    async def welcome(self):
        recent = await database_sync_to_async(selectors.messages_before)(limit=HISTORY)
        await self.send_json(
            {"type": "chat.history", "messages": [message_frame(m) for m in reversed(recent)]}
        )

    async def receive_json(self, content, **kwargs):
        if content.get("type") != "chat.send":
            await self.send_error("bad_frame", 'Send {"type": "chat.send", "message": "..."}.')
            return
        try:
            await database_sync_to_async(services.message_post)(
                user=self.scope["user"], text=content.get("message")
            )
        except ApplicationError as error:
            await self.send_error(error.code, error.message)
        except Exception:  # the database or the cache is down: say so, keep the connection
            logger.exception("Could not post a chat message")
            await self.send_error("unavailable", _("The chat cannot take messages now; try again."))

    async def chat_message(self, event):
        await self.send_json(event)
