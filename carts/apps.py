from django.apps import AppConfig


class CartsConfig(AppConfig):
    name = "carts"

    def ready(self):
        from carts import receivers  # noqa: F401 - connects the receivers
