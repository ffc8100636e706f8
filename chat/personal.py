"""Chat messages in a person's data (accounts/personal_data.py): an erased author's
messages stay in the conversation, detached from the e-mail."""

from accounts.models import User
from accounts.personal_data import Section, register
from chat.models import Message
from core.moments import moment


def _export(user: User) -> list[dict]:
    messages = Message.objects.filter(user=user).order_by("pk")
    return [{"message": m.message, "created_at": moment(m.created_at)} for m in messages]


register(
    Section(
        "chat_messages",
        (Message,),
        export=_export,
        anonymise=lambda user: Message.objects.filter(user=user).update(email=""),
    )
)
