"""The errors chat raises; core.exceptions renders each as {"detail", "code"}."""

from chat.models import MAX_LENGTH
from core.exceptions import ApplicationError, Forbidden, TooManyRequests


class InvalidMessage(ApplicationError):
    code = "invalid_message"
    message = f"A message is 1 to {MAX_LENGTH} characters, with no control or invisible characters."


class CustomersOnly(Forbidden):
    code = "forbidden"
    message = "Only customers with an account send chat messages; guests register first."


class ChatThrottled(TooManyRequests):
    message = "Too many messages; wait a moment."
