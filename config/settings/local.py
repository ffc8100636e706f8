"""Embedded default for a developer machine: `make run`."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, TEMPLATES, env

# The demo data's app: `seed_demo`, and its public logins on the home page.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
TEMPLATES[0]["OPTIONS"]["context_processors"].append("demo.context_processors.demo_logins")

DEBUG = env.bool("DEBUG", default=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
