"""Embedded default for a developer machine: `make run`."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, TEMPLATES, env, with_demo

INSTALLED_APPS = with_demo(INSTALLED_APPS, TEMPLATES, logins_on_pages=True)

DEBUG = env.bool("DEBUG", default=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
