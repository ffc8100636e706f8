import sqlite3
import subprocess
import sys

import psycopg
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from config.settings.base import BASE_DIR
from core.persistence import (
    DEFAULT_POSTGRES_URL,
    apply_cli_options,
    database_config,
    default_sqlite_url,
    describe,
)
from ops.servers import child_environment


def test_without_options_nothing_changes():
    env = {}
    assert apply_cli_options(["manage.py", "migrate"], env) == ["manage.py", "migrate"]
    assert env == {}


def test_persistence_sqlite_picks_the_embedded_file_over_a_postgres_url():
    env = {"DATABASE_URL": "postgres://x@db/shop"}
    argv = apply_cli_options(["manage.py", "--persistence", "sqlite", "migrate"], env)
    assert argv == ["manage.py", "migrate"]
    assert env["DATABASE_URL"] == default_sqlite_url()


def test_persistence_postgres_keeps_a_postgres_database_url():
    env = {"DATABASE_URL": "postgresql://u@db:5433/shop"}
    apply_cli_options(["manage.py", "--persistence=postgres", "check"], env)
    assert env["DATABASE_URL"] == "postgresql://u@db:5433/shop"


def test_persistence_postgres_falls_back_to_postgres_url_then_the_default():
    env = {"POSTGRES_URL": "postgres://u@pg/shop"}
    apply_cli_options(["manage.py", "--persistence", "postgres", "check"], env)
    assert env["DATABASE_URL"] == "postgres://u@pg/shop"
    env = {}
    apply_cli_options(["manage.py", "--persistence", "postgres", "check"], env)
    assert env["DATABASE_URL"] == DEFAULT_POSTGRES_URL


def test_database_url_option_sets_the_url_and_must_match_the_persistence():
    env = {}
    argv = [
        "manage.py",
        "--persistence",
        "postgres",
        "--database-url",
        "postgres://a@b/c",
        "migrate",
    ]
    assert apply_cli_options(argv, env) == ["manage.py", "migrate"]
    assert env["DATABASE_URL"] == "postgres://a@b/c"
    with pytest.raises(ValueError, match="not a postgres URL"):
        apply_cli_options(
            ["manage.py", "--persistence", "postgres", "--database-url", "sqlite:///x"], {}
        )


@pytest.mark.parametrize(
    "argv",
    [["manage.py", "--persistence", "mongodb", "migrate"], ["manage.py", "--database-url"]],
)
def test_bad_options_are_refused(argv):
    with pytest.raises(ValueError):
        apply_cli_options(argv, {})


def test_options_after_the_command_belong_to_the_command():
    env = {}
    argv = ["manage.py", "shell", "--persistence", "sqlite"]
    assert apply_cli_options(argv, env) == argv
    assert env == {}


def test_sqlite_is_configured_for_concurrent_writers():
    config = database_config("sqlite:////tmp/shop.db", conn_max_age=60, sqlite_timeout=20)
    assert config["ENGINE"] == "django_prometheus.db.backends.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] == 20
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_postgres_connections_are_persistent_and_checked_only_when_asked():
    config = database_config("postgres://u:secret@db:5432/shop", conn_max_age=60, sqlite_timeout=20)
    assert config["ENGINE"] == "django_prometheus.db.backends.postgresql"
    assert (config["CONN_MAX_AGE"], config["CONN_HEALTH_CHECKS"]) == (60, False)
    checked = database_config(
        "postgres://u@db/shop", conn_max_age=60, sqlite_timeout=20, health_checks=True
    )
    assert checked["CONN_HEALTH_CHECKS"] is True
    assert "secret" not in describe(config)


def test_mongodb_is_not_a_supported_backend():
    with pytest.raises(ImproperlyConfigured, match="MongoDB"):
        database_config("mongodb://localhost/shop", conn_max_age=0, sqlite_timeout=1)


@pytest.mark.django_db
def test_the_suite_runs_on_the_requested_backend(request):
    expected = "postgresql" if request.config.getoption("--postgres") else "sqlite"
    assert connection.vendor == expected
    if expected == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"


def manage(*args, env=None):
    environment = child_environment(DJANGO_SETTINGS_MODULE="config.settings.local", **(env or {}))
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_manage_py_migrates_a_postgres_database(postgres_cluster):
    with psycopg.connect(postgres_cluster.url("postgres"), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS manage_probe")
        conn.execute("CREATE DATABASE manage_probe")
    url = postgres_cluster.url("manage_probe")
    result = manage("--persistence", "postgres", "--database-url", url, "migrate", "--noinput")
    assert result.returncode == 0, result.stderr
    with psycopg.connect(url) as conn:
        applied = conn.execute(
            "SELECT count(*) FROM django_migrations WHERE app = 'accounts'"
        ).fetchone()
        assert applied[0] >= 1
        assert conn.execute("SELECT to_regclass('accounts_user')").fetchone()[0] == "accounts_user"


def test_manage_py_migrates_an_sqlite_file_in_wal_mode(tmp_path):
    path = tmp_path / "shop.sqlite3"
    result = manage(
        "--persistence", "sqlite", "--database-url", f"sqlite:///{path}", "migrate", "--noinput"
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT count(*) FROM accounts_user").fetchone()[0] == 0


def test_manage_py_refuses_an_unknown_persistence():
    result = manage("--persistence", "mongodb", "check")
    assert result.returncode != 0
    assert "sqlite or postgres" in result.stderr
