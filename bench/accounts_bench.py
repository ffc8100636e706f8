"""Benchmark the account endpoints under gunicorn (WSGI) and uvicorn (ASGI).

    python -m bench.accounts_bench [--postgres] [--duration 5] [--concurrency 32]

Prints requests/s, p50/p99 latency and the status counts per endpoint and server.
"""

import argparse
import json
import urllib.request

from bench import httpload
from bench.server import bench_environment, manage, serve

PASSWORD = "bench-pass-2026"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--postgres", action="store_true", help="a throw-away PostgreSQL instead of SQLite"
    )
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--servers", default="gunicorn,uvicorn")
    args = parser.parse_args()

    database = "postgresql" if args.postgres else "sqlite"
    with bench_environment(args.postgres, THROTTLE_LOGIN="1000000/min") as env:
        manage("shell", "-v", "0", "-c", (
            "from accounts.services import user_create;"
            f"user_create(email='bench@example.com', password='{PASSWORD}', first_name='B', last_name='C')"
        ), env=env)  # fmt: skip
        print(f"database: {database}; concurrency {args.concurrency}; "
              f"{args.duration}s per run")  # fmt: skip
        for kind in args.servers.split(","):
            with serve(kind, env) as port:
                login = httpload.Request.json(
                    "POST",
                    "/api/auth/token",
                    {"email": "bench@example.com", "password": PASSWORD},
                )
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/api/auth/token",
                    data=login.body,
                    headers=login.headers,
                )
                token = json.load(urllib.request.urlopen(request))["access"]
                scenarios = {
                    "GET /health/live": lambda: httpload.Request("GET", "/health/live"),
                    "GET /api/sessions/current (JWT)": lambda auth=f"Bearer {token}": (
                        httpload.Request("GET", "/api/sessions/current", {"Authorization": auth})
                    ),
                }
                for label, make in scenarios.items():
                    result = httpload.run(
                        f"{kind:8} {label}", port, make,
                        concurrency=args.concurrency, duration=args.duration,
                    )  # fmt: skip
                    print(json.dumps(result.summary()))


if __name__ == "__main__":
    main()
