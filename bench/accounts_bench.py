"""Benchmark the account endpoints under gunicorn (WSGI) and uvicorn (ASGI), with wrk.

    python -m bench.accounts_bench [--postgres] [--seconds 5] [--connections 32]

For each server: the minimal view (`GET /health/live`) and a JWT-authenticated read
(`GET /api/sessions/current`), each with requests/s, p50/p99, server and database CPU per
request, and the ratio of the JWT read to the minimal view on the same server.
"""

import argparse
import json
import urllib.request

from bench.server import bench_environment, manage, measured, serve

PASSWORD = "bench-pass-2026"


def access_token(port: int) -> str:
    body = json.dumps({"email": "bench@example.com", "password": PASSWORD}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/auth/token",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)["access"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--postgres", action="store_true", help="a throw-away PostgreSQL instead of SQLite"
    )
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--servers", default="gunicorn,uvicorn")
    args = parser.parse_args()

    database = "postgresql" if args.postgres else "sqlite"
    with bench_environment(args.postgres, THROTTLE_LOGIN="1000000/min") as env:
        manage(
            "shell",
            "-v",
            "0",
            "-c",
            (
                "from accounts.services import user_create;"
                f"user_create(email='bench@example.com', password='{PASSWORD}', first_name='B', last_name='C')"
            ),
            env=env,
        )
        db, c = env["DATABASE_URL"], args.connections
        for kind in args.servers.split(","):
            with serve(kind, env) as port:
                base, token = f"http://127.0.0.1:{port}", access_token(port)
                minimal = measured(port, db, f"{base}/health/live", "get.lua", args.seconds, c)
                jwt = measured(
                    port,
                    db,
                    f"{base}/api/sessions/current",
                    "get.lua",
                    args.seconds,
                    c,
                    headers={"Authorization": f"Bearer {token}"},
                )
                for label, figures in (
                    ("GET /health/live", minimal),
                    ("GET /api/sessions/current (JWT)", jwt),
                ):
                    ratio = round(figures["rps"] / minimal["rps"], 3)
                    print(
                        json.dumps(
                            {
                                "server": kind,
                                "database": database,
                                "scenario": label,
                                **figures,
                                "ratio_to_minimal_view": ratio,
                            }
                        )
                    )


if __name__ == "__main__":
    main()
