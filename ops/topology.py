"""The production topology on one machine: `make run-prod`, and the topology and fault tests.

nginx (rendered from deploy/nginx/) in front of gunicorn (the HTTP API) and uvicorn
(WebSockets, flash-sale claims), a Celery worker and Celery beat, all started by honcho from
the Procfile, on PostgreSQL and Redis: the machine's binaries thrown away at the end, unless
DATABASE_URL and REDIS_URL name servers to use.

    python -m ops.topology            # what `make run-prod` runs; Ctrl-C stops everything
"""

import contextlib
import os
import secrets
import shutil
import signal
import stat
import string
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ops.servers import PostgresCluster, RedisServer, child_environment, free_port

ROOT = Path(__file__).resolve().parents[1]
NGINX_TEMPLATES = ROOT / "deploy" / "nginx"
BIN = Path(sys.executable).parent


def render_nginx(
    prefix: Path,
    *,
    port: int,
    host: str = "127.0.0.1",
    web_ports: list[int],
    ws_ports: list[int],
    rate_per_second: int = 100,
    access_log: bool = True,
) -> Path:
    """Write nginx.conf and shop.conf under `prefix` from the templates; return nginx.conf."""
    values = {
        "NGINX_PREFIX": str(prefix),
        "NGINX_LISTEN": f"{host}:{port}",
        "NGINX_WEB_SERVERS": " ".join(f"server 127.0.0.1:{p};" for p in web_ports),
        "NGINX_WS_SERVERS": " ".join(f"server 127.0.0.1:{p};" for p in ws_ports),
        "NGINX_RATE_PER_SECOND": str(rate_per_second),
        # nginx is the edge on this machine: the connection's scheme, not a client's claim.
        "NGINX_FORWARDED_PROTO": "$scheme",
        "NGINX_ACCESS_LOG": "/dev/stdout shop_json" if access_log else "off",
    }
    prefix.mkdir(parents=True, exist_ok=True)
    for name in ("nginx.conf", "shop.conf"):
        template = string.Template((NGINX_TEMPLATES / f"{name}.template").read_text())
        # safe_substitute leaves nginx's own $variables alone, as envsubst does.
        (prefix / name).write_text(template.safe_substitute(values))
    for temp in ("client_body", "proxy"):
        # nginx's workers drop root for an unprivileged user that must write request bodies
        # (over client_body_buffer_size) and long answers here.
        (prefix / temp).mkdir(exist_ok=True)
        (prefix / temp).chmod(0o1777)
    if os.geteuid() == 0:
        _let_others_through(prefix)
    return prefix / "nginx.conf"


def _let_others_through(directory: Path) -> None:
    """Give `directory` and its parents search permission (not listing) for nginx's workers:
    a temporary directory is private to its owner, so they could not reach the temp paths."""
    for path in (directory, *directory.parents):
        mode = path.stat().st_mode
        if not mode & stat.S_IXOTH:
            path.chmod(stat.S_IMODE(mode) | stat.S_IXOTH)


def production_env(*, database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    """The shop's environment behind one proxy, over plain HTTP on loopback."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost"),
        "SHOP_URL": os.environ.get("SHOP_URL", "http://localhost"),
        # A shop on this machine: its demo administrator signs in by password.
        "STAFF_REQUIRE_2FA": os.environ.get("STAFF_REQUIRE_2FA", "false"),
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "NUM_PROXIES": "1",
        # A shop on this machine: the sandbox settles payments unless told otherwise.
        "ALLOW_SANDBOX_PAYMENTS": os.environ.get("ALLOW_SANDBOX_PAYMENTS", "true"),
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "json"),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        **extra,
    }


def manage(
    *args: str, env: dict[str, str], capture: bool = False, timeout: float | None = None
) -> str:
    """Run `manage.py` in `env`; return its output when captured. Fails with that output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=child_environment(**env),
        capture_output=capture,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        output = f"{result.stdout or ''}{result.stderr or ''}"
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{output}")
    return result.stdout or ""


def prepare(env: dict[str, str], *, seed: bool) -> None:
    """What a release does before serving: migrate, collect the static files, (demo data)."""
    manage("migrate", "--noinput", "--verbosity", "0", env=env)
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    if seed:
        manage("seed_demo", "--allow-production", env={**env, "SEED_DEMO": "true"})


def honcho(*processes: str, env: dict[str, str], output=None) -> subprocess.Popen:
    """Start processes of the Procfile under honcho (all of them when none is named)."""
    command = [
        str(BIN / "honcho"),
        "start",
        "--no-colour",
        "-f",
        str(ROOT / "Procfile"),
        "-d",
        str(ROOT),
        *processes,
    ]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=child_environment(**env),
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    """Stop honcho and what it started, as Ctrl-C does."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def process_env(runtime: Path, *, web_port: int, ws_port: int) -> dict[str, str]:
    """The Procfile's own variables."""
    return {
        "NGINX_PREFIX": str(runtime / "nginx"),
        "WEB_PORT": str(web_port),
        "WS_PORT": str(ws_port),
        "WS_CONCURRENCY": os.environ.get("WS_CONCURRENCY", "2"),
        "CELERY_CONCURRENCY": os.environ.get("CELERY_CONCURRENCY", "2"),
        "BEAT_SCHEDULE": str(runtime / "celerybeat-schedule"),
        # Every process of the machine counts into one place; each web worker's /metrics
        # answers for all of them.
        "PROMETHEUS_MULTIPROC_DIR": str(runtime / "metrics"),
    }


@contextlib.contextmanager
def backing_services() -> Iterator[tuple[str, str, bool]]:
    """(DATABASE_URL, REDIS_URL, thrown away): the given servers, or throw-away ones."""
    with contextlib.ExitStack() as stack:
        database_url = os.environ.get("DATABASE_URL", "")
        redis_url = os.environ.get("REDIS_URL", "")
        throw_away = not database_url.startswith("postgres")
        if throw_away:
            cluster = PostgresCluster().start()
            stack.callback(cluster.stop)
            subprocess.run(
                [
                    str(cluster.bindir / "createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(cluster.port),
                    "-U",
                    "postgres",
                    "shop",
                ],
                check=True,
            )
            database_url = cluster.url("shop")
        if not redis_url:
            redis = RedisServer().start()
            stack.callback(redis.stop)
            redis_url = redis.url
        yield database_url, redis_url, throw_away


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main() -> None:
    # `kill` stops everything as Ctrl-C does, the throw-away servers included.
    signal.signal(signal.SIGTERM, _interrupt)
    # Loopback unless told otherwise: TLS and the public address belong to whatever is in front.
    host, port = os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "8080"))
    runtime = Path(tempfile.mkdtemp(prefix="shop-prod-"))
    try:
        with backing_services() as (database_url, redis_url, throw_away):
            env = production_env(database_url=database_url, redis_url=redis_url)
            prepare(env, seed=throw_away or os.environ.get("SEED_DEMO") == "true")
            web_port, ws_port = free_port(), free_port()
            render_nginx(
                runtime / "nginx", host=host, port=port, web_ports=[web_port], ws_ports=[ws_port]
            )
            env |= process_env(runtime, web_port=web_port, ws_port=ws_port)
            url = f"http://{host}:{port}"
            print(
                f"\n  Shop (nginx) {url}/\n  Admin        {url}/admin/\n"
                f"  API docs     {url}/api/docs\n  Chat         {url}/chat/\n"
                f"  Health       {url}/health/ready\n"
                f"  Metrics      http://127.0.0.1:{web_port}/metrics (internal: not through nginx)\n"
                f"  PostgreSQL   {database_url}\n  Redis        {redis_url}\n"
                "  Ctrl-C stops everything.\n",
                flush=True,
            )
            process = honcho(env=env)
            try:
                process.wait()
            except KeyboardInterrupt:
                # The terminal sent SIGINT to honcho too; give it the time to stop its children.
                stop(process)
    finally:
        shutil.rmtree(runtime, ignore_errors=True)


if __name__ == "__main__":
    main()
