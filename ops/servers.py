"""Throw-away PostgreSQL and Redis servers for the tests, the benchmarks and `make run-prod`.

Each starts from the binaries on the machine, in a temporary directory, listening on a
free loopback port, and is removed on stop. No server is shared with anything else.
`halt()` and `start()` again bring one down and back on the same port (fault tests).
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


class ServerUnavailable(RuntimeError):
    """The binaries for a throw-away server are not installed."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def postgres_bindir() -> Path:
    configured = os.environ.get("PG_BINDIR")
    candidates = [configured] if configured else sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    for candidate in reversed(candidates):
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    raise ServerUnavailable("PostgreSQL binaries (initdb, pg_ctl) not found; set PG_BINDIR")


class PostgresCluster:
    """A PostgreSQL cluster made by initdb, trusting loopback, tuned for speed not durability."""

    def __init__(self, max_connections: int = 300):
        self.bindir = postgres_bindir()
        self.max_connections = max_connections
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="shop-pg-"))
        # initdb refuses to run as root, so the cluster belongs to the postgres user then.
        self.user = "postgres" if os.geteuid() == 0 else None

    def _run(self, *args: str) -> None:
        subprocess.run(args, check=True, capture_output=True, user=self.user)

    def start(self) -> "PostgresCluster":
        data = self.root / "data"
        if not data.exists():
            if self.user:
                shutil.chown(self.root, user=self.user)
            self._run(
                str(self.bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            f"-c max_connections={self.max_connections} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(self.root / "log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )
        return self

    def url(self, database: str = "shop") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def halt(self) -> None:
        """Stop the server as a crash would (no checkpoint); `start()` brings it back.

        The WAL is flushed first (a WAL switch writes out everything before it): what was
        committed before the crash survives it, as on a production server. Without it the
        cluster's asynchronous commits (synchronous_commit=off, for speed) lose the last
        fraction of a second, and a test's set-up with them.
        """
        self._run(
            str(self.bindir / "psql"),
            *("-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "postgres"),
            *("-c", "SELECT pg_switch_wal()"),
        )
        self._crash()

    def _crash(self) -> None:
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "stop"
        )

    def stop(self) -> None:
        try:
            self._crash()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


class RedisServer:
    """A redis-server with no persistence on a free loopback port."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            raise ServerUnavailable("redis-server not found (apt-get install -y redis-server)")
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="shop-redis-"))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.root),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for_port(self.port, timeout=10)
        return self

    def halt(self) -> None:
        """Kill the server (SIGKILL: its data is gone, as after a crash without persistence)."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


# Variables of the test process that must not reach a server or command the tests start.
TEST_ONLY_VARIABLES = (
    "DATABASE_URL",
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def child_environment(**overrides: str) -> dict[str, str]:
    """The environment for a process started by a test: the test's own knobs removed."""
    environment = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    environment.update(overrides)
    return environment
