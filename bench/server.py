"""A production-like shop on a fresh database, for a benchmark."""

import contextlib
import tempfile
from pathlib import Path

from config.testing.servers import PostgresCluster, RedisServer
from config.testing.shop import manage, production_environment, serve

__all__ = ["bench_environment", "manage", "serve"]


@contextlib.contextmanager
def bench_environment(postgres: bool, **extra: str):
    """Yield the environment of a production shop on a fresh, migrated database.

    SQLite in a temporary file, or a throw-away PostgreSQL cluster, and a throw-away Redis;
    all removed afterwards.
    """
    cluster = PostgresCluster().start() if postgres else None
    redis = RedisServer().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            if cluster:
                import psycopg

                with psycopg.connect(cluster.url("postgres"), autocommit=True) as conn:
                    conn.execute("CREATE DATABASE shop")
            database_url = cluster.url() if cluster else f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            yield production_environment(database_url=database_url, redis_url=redis.url, **extra)
    finally:
        redis.stop()
        if cluster:
            cluster.stop()
