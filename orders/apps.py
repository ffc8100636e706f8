from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"

    def ready(self):
        from orders import (
            personal,  # noqa: F401 - registers its section of personal data
            receivers,  # noqa: F401 - connects the receivers
        )
