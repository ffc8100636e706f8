from django.apps import AppConfig


class CartsConfig(AppConfig):
    name = "carts"

    def ready(self):
        from carts import (
            personal,  # noqa: F401 - registers its section of personal data
            receivers,  # noqa: F401 - connects the receivers
        )
