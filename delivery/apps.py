from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "delivery"

    def ready(self):
        from delivery import personal  # noqa: F401 - registers its section of personal data
