from django.apps import AppConfig


class FlashsalesConfig(AppConfig):
    name = "flashsales"
    verbose_name = "Flash sales"

    def ready(self):
        from flashsales import (
            personal,  # noqa: F401 - registers its section of personal data
            receivers,  # noqa: F401 - connects the receivers
        )
