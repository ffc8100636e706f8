# The two commands of the README: `make run` and `make test`. Both work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run run-prod reset-demo test lint format migrations-check messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.deps

run: export DJANGO_SETTINGS_MODULE = config.settings.local
run: $(VENV)/.deps
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo
	@echo "  Home       http://$(HOST):$(PORT)/"
	@echo "  Chat       http://$(HOST):$(PORT)/chat/"
	@echo "  API schema http://$(HOST):$(PORT)/api/schema"
	@echo "  API docs   http://$(HOST):$(PORT)/api/docs"
	@echo "  Admin      http://$(HOST):$(PORT)/admin/"
	@echo "  Health     http://$(HOST):$(PORT)/health/ready"
	@echo
	$(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --lifespan off

# The local demo data from scratch: empty the database `make run` uses, then load it again.
reset-demo: export DJANGO_SETTINGS_MODULE = config.settings.local
reset-demo: $(VENV)/.deps
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py flush --noinput
	$(BIN)/python manage.py seed_demo

# The production topology on this machine: nginx, gunicorn, uvicorn, Celery worker and beat
# on a throw-away PostgreSQL and Redis (or DATABASE_URL / REDIS_URL); Ctrl-C stops it all.
run-prod: $(VENV)/.deps
	@command -v nginx >/dev/null || (apt-get update -qq && apt-get install -y -qq nginx)
	@command -v redis-server >/dev/null || [ -n "$(REDIS_URL)" ] || \
		(apt-get update -qq && apt-get install -y -qq redis-server)
	$(BIN)/python -m ops.topology

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy  # core/, services and selectors (pyproject.toml)

format: $(VENV)/.dev-deps
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the translation catalog from the code and compile it (needs gettext's xgettext).
messages: $(VENV)/.dev-deps
	@command -v xgettext >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	$(BIN)/python -m config.messages

migrations-check: export DJANGO_SETTINGS_MODULE = config.settings.test
migrations-check: $(VENV)/.dev-deps
	$(BIN)/python manage.py makemigrations --check --dry-run

# The whole suite twice: on SQLite (embedded default) and on a throw-away PostgreSQL; the
# production-topology tests (nginx, replicas, faults) and the API contract run against
# production settings, so once, in the PostgreSQL pass. CI prints the slowest tests.
DURATIONS := $(if $(CI),--durations=25)
test: export DJANGO_SETTINGS_MODULE = config.settings.test
test: lint migrations-check
	$(BIN)/pytest -m "not topology and not contract" $(DURATIONS)
	$(BIN)/pytest --postgres $(DURATIONS)

# Load benchmarks on loopback; each stops by itself and prints its figures.
bench: export DJANGO_SETTINGS_MODULE = config.settings.production
bench: $(VENV)/.dev-deps
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench.accounts_bench
	$(BIN)/python -m bench.accounts_bench --postgres
	$(BIN)/python -m bench.webhook_bench
	$(BIN)/python -m bench.webhook_bench --postgres
	$(BIN)/python -m bench.flash_sale
	$(BIN)/python -m bench.catalog_bench
	$(BIN)/python -m bench.purchase_wrk
	$(BIN)/python -m bench.purchase_wrk --sqlite
	$(BIN)/python -m bench.chat_fanout

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles .pytest_cache .ruff_cache
