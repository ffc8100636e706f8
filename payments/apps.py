from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"

    def ready(self):
        from payments import (
            personal,  # noqa: F401 - registers its section of personal data
            receivers,  # noqa: F401
        )
