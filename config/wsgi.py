"""WSGI entry point for gunicorn sync workers, the fastest way to serve the HTTP API."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
django_application = get_wsgi_application()

from core.middleware import charset_guard_wsgi  # noqa: E402
from core.persistence import log_backend  # noqa: E402

application = charset_guard_wsgi(django_application)
log_backend()
