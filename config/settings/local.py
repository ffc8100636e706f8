"""Embedded default for a developer machine: `make run`."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, TEMPLATES, env, with_demo

INSTALLED_APPS = with_demo(INSTALLED_APPS, TEMPLATES, logins_on_pages=True)

DEBUG = env.bool("DEBUG", default=True)
# Without EMAIL_URL the shop's e-mails land as files in .mail/, where a developer (and the
# README's tour) reads the links of verification and password-reset mails.
if not env("EMAIL_URL", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = BASE_DIR / ".mail"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
