"""Posting a chat message: the one way in, for the WebSocket consumer and anything else."""

import unicodedata

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import is_registered_customer
from chat.errors import ChatThrottled, CustomersOnly, InvalidMessage
from chat.live import message_publish
from chat.models import MAX_LENGTH, Message
from core.throttles import clock, window_count

# Format characters (Cf) that emoji need: the zero-width joiner (family, profession and
# skin-tone sequences) and the tag characters of subdivision flags. Every other one, bidi
# overrides and zero-width spaces among them, can make a message read as something else.
EMOJI_FORMAT_CHARACTERS = {"\u200d", *map(chr, range(0xE0020, 0xE0080))}


def _refused(char: str) -> bool:
    category = unicodedata.category(char)
    if category == "Cf":
        return char not in EMOJI_FORMAT_CHARACTERS
    return char != "\n" and category in ("Cc", "Cs")


def clean_message(text: object) -> str:
    """Trim; 1..MAX_LENGTH characters; newlines are the only control characters allowed,
    and no invisible formatting beyond what emoji need."""
    if not isinstance(text, str):
        raise InvalidMessage()
    text = text.replace("\r\n", "\n").strip()
    if not 0 < len(text) <= MAX_LENGTH:
        raise InvalidMessage()
    if any(map(_refused, text)):
        raise InvalidMessage()
    return text


def _throttle(user: User) -> None:
    """At most CHAT_RATE_MESSAGES per CHAT_RATE_SECONDS per user, counted in the shared cache
    (Redis in production, so every process counts together). DRF's throttles need an HTTP
    request, which a WebSocket frame is not; the window is theirs (core.throttles)."""
    used, _ = window_count(f"chat:rate:{user.pk}", settings.CHAT_RATE_SECONDS, clock())
    if used > settings.CHAT_RATE_MESSAGES:
        raise ChatThrottled()


def message_post(*, user: User, text: object) -> Message:
    """Store a customer's message, then broadcast it to everyone connected after the commit."""
    if not is_registered_customer(user):
        raise CustomersOnly()
    text = clean_message(text)
    _throttle(user)
    with transaction.atomic():
        message = Message.objects.create(
            user=user, email=user.email, message=text, created_at=timezone.now()
        )
        transaction.on_commit(lambda: message_publish(message))
    return message
