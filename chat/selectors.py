from chat.models import Message


def messages_before(*, before: int | None = None, limit: int = 50) -> list[Message]:
    """Up to `limit` messages, newest first, older than the message `before` when given."""
    messages = Message.objects.select_related("user").order_by("-id")
    if before is not None:
        messages = messages.filter(id__lt=before)
    return list(messages[:limit])


def message_count() -> int:
    return Message.objects.count()
