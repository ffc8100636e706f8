from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"

    def ready(self):
        from tickets import (
            personal,  # noqa: F401 - registers its section of personal data
            receivers,  # noqa: F401
        )
