"""The production topology as the topology and fault tests run it: replicas (gunicorn +
uvicorn, from the Procfile through honcho) behind one nginx rendered from the repo's
template, a Celery worker and beat, sharing one PostgreSQL database and one Redis."""

import contextlib
import json
import os
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import Popen
from typing import Any

from ops.servers import free_port
from ops.topology import honcho, prepare, process_env, production_env, render_nginx, stop
from testing.shop import call


@dataclass
class Replica:
    web_port: int
    ws_port: int
    process: Popen


@dataclass
class Topology:
    port: int
    env: dict
    runtime: Path
    replicas: list[Replica] = field(default_factory=list)
    processes: dict[str, Popen] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def call(self, name: str, **arguments: Any) -> Any:
        """testing.setups.<name>(**arguments) inside the shop; its answer."""
        return call(name, env=self.env, **arguments)

    def log(self, name: str) -> str:
        return (self.runtime / f"{name}.log").read_text(errors="replace")


def request(
    url: str,
    method: str = "GET",
    body=None,
    token: str | None = None,
    headers: dict | None = None,
    timeout: float = 15,
) -> tuple[int, dict, dict]:
    """(status, JSON body or {}, headers); a refused connection is status 0."""
    data = json.dumps(body).encode() if body is not None else None
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    call = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(call, timeout=timeout) as response:
            return response.status, _json(response.read()), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, _json(exc.read()), dict(exc.headers)
    except OSError:
        return 0, {}, {}


def _json(raw: bytes) -> dict:
    try:
        return json.loads(raw)
    except ValueError:
        return {}


def wait_until_ok(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while request(url, timeout=2)[0] != 200:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} is not answering 200")
        time.sleep(0.2)


def _start(topology: Topology, name: str, *processes: str, web_port=0, ws_port=0) -> Popen:
    env = topology.env | process_env(topology.runtime, web_port=web_port, ws_port=ws_port)
    with open(topology.runtime / f"{name}.log", "wb") as log:
        return honcho(*processes, env=env, output=log)


@contextlib.contextmanager
def topology(
    database_url: str, redis_url: str, *, replicas: int = 1, celery: bool = True, **extra: str
):
    """Yield a running Topology; everything it started is stopped afterwards."""
    env = production_env(database_url=database_url, redis_url=redis_url, **extra)
    prepare(env, seed=False)
    with tempfile.TemporaryDirectory(prefix="shop-topology-") as runtime:
        shop = Topology(port=free_port(), env=env, runtime=Path(runtime))
        try:
            for number in range(replicas):
                web_port, ws_port = free_port(), free_port()
                process = _start(
                    shop, f"replica{number}", "web", "ws", web_port=web_port, ws_port=ws_port
                )
                shop.replicas.append(Replica(web_port, ws_port, process))
            render_nginx(
                shop.runtime / "nginx",
                port=shop.port,
                access_log=False,
                web_ports=[r.web_port for r in shop.replicas],
                ws_ports=[r.ws_port for r in shop.replicas],
                rate_per_second=int(extra.get("NGINX_RATE_PER_SECOND", 5000)),
            )
            shop.processes["nginx"] = _start(shop, "nginx", "nginx")
            if celery:
                shop.processes["celery"] = _start(shop, "celery", "worker", "beat")
            for replica in shop.replicas:
                wait_until_ok(f"http://127.0.0.1:{replica.web_port}/health/live")
                wait_until_ok(f"http://127.0.0.1:{replica.ws_port}/health/live")
            wait_until_ok(f"{shop.url}/health/ready")
            yield shop
        finally:
            for process in [*shop.processes.values(), *(r.process for r in shop.replicas)]:
                stop(process)


def worker_processes(word: bytes) -> list[int]:
    """The innermost processes whose command line holds `word` and whose parent's does too:
    a gunicorn master's workers, a Celery worker's pool processes (forked with the master's
    command line)."""
    table = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if word in cmdline:
            table[int(pid)] = parent
    parents = set(table.values())
    return [pid for pid, parent in table.items() if parent in table and pid not in parents]
