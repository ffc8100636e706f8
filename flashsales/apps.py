from django.apps import AppConfig


class FlashsalesConfig(AppConfig):
    name = "flashsales"
    verbose_name = "Flash sales"

    def ready(self):
        from flashsales import receivers  # noqa: F401 - connects the receivers
