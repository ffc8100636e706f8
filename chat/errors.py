"""The errors chat raises; core.exceptions renders each as {"detail", "code"}."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from chat.models import MAX_LENGTH
from core.exceptions import ApplicationError, Forbidden, TooManyRequests


class InvalidMessage(ApplicationError):
    code = "invalid_message"
    message = format_lazy(
        _("A message is 1 to {max} characters, with no control or invisible characters."),
        max=MAX_LENGTH,
    )


class CustomersOnly(Forbidden):
    code = "forbidden"
    message = _("Only customers with an account send chat messages; guests register first.")


class ChatThrottled(TooManyRequests):
    message = _("Too many messages; wait a moment.")
