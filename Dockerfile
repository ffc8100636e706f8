# syntax=docker/dockerfile:1
# The shop's one image: gunicorn (web), uvicorn (ws), Celery worker and beat run from it with
# different commands (compose.yaml, deploy/k8s/). Checked in CI without an engine
# (config/tests/test_deploy_files.py).

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /venv
COPY requirements.txt /app/requirements.txt
RUN /venv/bin/pip install -r /app/requirements.txt
COPY . /app
WORKDIR /app
# Static files are collected into the image (whitenoise serves them, compressed, with
# far-future caching). The production settings refuse to load without a real-looking
# SECRET_KEY and a REDIS_URL; neither is used by collectstatic.
RUN DJANGO_SETTINGS_MODULE=config.settings.production \
    SECRET_KEY=collectstatic-only-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ \
    REDIS_URL=redis://unused:6379/0 ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    /venv/bin/python manage.py collectstatic --noinput --verbosity 0

FROM python:3.11-slim-bookworm
ENV PATH=/venv/bin:$PATH \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PORT=8000
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin shop
COPY --from=build /venv /venv
COPY --from=build --chown=root:root /app /app
WORKDIR /app
USER 10001
EXPOSE 8000 8001
# The web and ws containers answer on $PORT; worker and beat override this (compose.yaml).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['PORT']}/health/live\", timeout=2)"]
CMD ["gunicorn", "--bind", "0.0.0.0:8000"]
