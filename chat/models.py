from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone

MAX_LENGTH = 1000


class Message(models.Model):
    """A chat message as it was sent; kept even if its author's account goes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(help_text="The author's e-mail when the message was sent")
    message = models.TextField(max_length=MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        # Pages are read newest first by id (the `before` cursor): the primary key's index.
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    GreaterThanOrEqual(Length("message"), 1),
                    LessThanOrEqual(Length("message"), MAX_LENGTH),
                ),
                name="chat_message_length",
            )
        ]

    def __str__(self):
        return f"{self.email}: {self.message[:40]}"
