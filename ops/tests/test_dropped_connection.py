"""Without per-request health checks, a PostgreSQL connection the server dropped fails at
most one request per worker, with a 503 in the error shape, and the next one reconnects."""

import json
import secrets
import urllib.error
import urllib.request

import psycopg


def get(port: int, path: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def test_a_dropped_connection_costs_one_503_then_reconnects(
    postgres_cluster, postgres_template, redis_server
):
    from testing.shop import create_database, production_environment, serve

    name = f"drop_{secrets.token_hex(4)}"
    env = production_environment(
        database_url=create_database(postgres_cluster, name, template=postgres_template),
        redis_url=redis_server.url,
        migrate=False,
        CATALOG_CACHE_SECONDS="0",
    )
    with serve("gunicorn", env, workers=1) as port:
        assert get(port, "/api/products")[0] == 200  # the worker now holds a connection
        with psycopg.connect(postgres_cluster.url("postgres"), autocommit=True) as admin:
            dropped = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            ).fetchone()[0]
        assert dropped >= 1
        status, body = get(port, "/api/products")
        assert (status, body["code"]) == (503, "database_unavailable")  # not a 500
        assert [get(port, "/api/products")[0] for _ in range(3)] == [200, 200, 200]
