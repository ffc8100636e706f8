from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `manage.py seed_demo`: the one app allowed to import every other."""

    name = "demo"
