"""Broadcasting chat messages to every connected client through the channel layer."""

from core.live import publish
from core.moments import moment

CHAT_GROUP = "chat"


def author_name(message) -> str:
    """The author's display name; the e-mail stays stored data, shown to no customer."""
    return message.user.display_name if message.user else "Former customer"


def message_frame(message) -> dict:
    """A message as clients receive it, live and in the history."""
    return {
        "type": "chat.message",
        "id": message.pk,
        "user": author_name(message),
        "user_id": message.user_id,
        "message": message.message,
        "created_at": moment(message.created_at),
    }


def message_publish(message) -> None:
    """Best effort, after the commit: the row is the record (clients reload history)."""
    publish((CHAT_GROUP,), message_frame(message))
