"""A production-like shop on a fresh database, for a benchmark."""

import contextlib
import tempfile
from pathlib import Path

from ops.servers import PostgresCluster, RedisServer
from testing.shop import call, create_database, manage, production_environment, serve

__all__ = ["bench_environment", "call", "manage", "serve"]


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
            sqlite_url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            database_url = create_database(cluster, "shop") if cluster else sqlite_url
            yield production_environment(database_url=database_url, redis_url=redis.url, **extra)
    finally:
        redis.stop()
        if cluster:
            cluster.stop()


def _processes() -> dict[int, tuple[bytes, int, int]]:
    """Every process: pid -> (command line, parent pid, CPU ticks used)."""
    import os

    table = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            table[int(pid)] = (cmdline, int(fields[1]), int(fields[11]) + int(fields[12]))
        except (OSError, IndexError, ValueError):
            continue
    return table


def _cpu_seconds(table: dict, roots: set[int]) -> float:
    """CPU time of the `roots` and all their descendants, in seconds."""
    import os

    family, grew = set(roots), True
    while grew:
        children = {pid for pid, (_, parent, _) in table.items() if parent in family} - family
        family |= children
        grew = bool(children)
    return sum(table[pid][2] for pid in family) / os.sysconf("SC_CLK_TCK")


def server_cpu_seconds(port: int) -> float:
    """CPU time (user + system) used so far by the server on `port` and its workers (gunicorn's
    master names the port on its command line; uvicorn's spawned workers are its children)."""
    table = _processes()
    marks = (f"127.0.0.1:{port}".encode(), f"--port {port}".encode())
    return _cpu_seconds(
        table, {pid for pid, (cmd, _, _) in table.items() if any(mark in cmd for mark in marks)}
    )


def database_cpu_seconds(database_url: str) -> float:
    """CPU time used so far by the PostgreSQL cluster serving `database_url` (its postmaster's
    command line names the port; its backends are its children). 0 for SQLite, which runs
    inside the server's processes."""
    from urllib.parse import urlsplit

    port = urlsplit(database_url).port
    if port is None:
        return 0.0
    table = _processes()
    return _cpu_seconds(
        table,
        {
            pid
            for pid, (cmd, _, _) in table.items()
            if b"postgres" in cmd and f"-p {port}".encode() in cmd
        },
    )


def wrk(
    url: str,
    script: str,
    seconds: float,
    connections: int,
    *args: str,
    headers: dict[str, str] | None = None,
) -> dict:
    """Drive `url` with wrk 4.1 (2 threads) and a Lua script of bench/ that prints one JSON
    line of figures; `args` go to the script, `headers` on every request."""
    import json
    import subprocess

    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--timeout",
        "10s",
        "-s",
        str(Path(__file__).resolve().parent / script),
        url,
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if args:
        command += ["--", *args]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr}{result.stdout}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measured(
    port: int,
    database_url: str,
    url: str,
    script: str,
    seconds: float,
    connections: int,
    *args: str,
    headers: dict[str, str] | None = None,
) -> dict:
    """`wrk`'s figures plus the CPU per request of the server on `port` and of the database."""
    server, database = server_cpu_seconds(port), database_cpu_seconds(database_url)
    result = wrk(url, script, seconds, connections, *args, headers=headers)
    n = max(1, result["requests"])
    result["server_cpu_ms"] = round((server_cpu_seconds(port) - server) * 1000 / n, 3)
    result["db_cpu_ms"] = round((database_cpu_seconds(database_url) - database) * 1000 / n, 3)
    return result
