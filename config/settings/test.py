"""Settings for the test suite: fast hashing, mail kept in memory, tasks run eagerly."""

from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS, REST_FRAMEWORK, TEMPLATES, with_demo

INSTALLED_APPS = with_demo(INSTALLED_APPS, TEMPLATES, logins_on_pages=True)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
TASKS_IN_BACKGROUND = False  # tasks run inline after the commit, where tests can see them
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
CEP_PROVIDER = "none"  # tests that look CEPs up point VIACEP_URL at a local fake

# Generous throttles so that only the tests about throttling ever meet them.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        "login": "1000/min",
        "register": "1000/min",
        "claim": "1000/min",
        "claim_address": "100000/min",
        "account_mail": "1000/min",
        "cep": "1000/min",
    },
}

# A file, not :memory:, so tests that race threads share one SQLite database as in production.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}  # noqa: F405
