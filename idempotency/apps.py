from django.apps import AppConfig


class IdempotencyConfig(AppConfig):
    name = "idempotency"

    def ready(self):
        from idempotency import personal  # noqa: F401 - registers its section of personal data
