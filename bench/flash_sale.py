"""Benchmark the flash-sale rush: thousands of distinct customers claim 100 units at once.

    python -m bench.flash_sale [--customers 5000] [--units 100] [--connections 256]

Production topology on one machine: a throw-away PostgreSQL and Redis, gunicorn (2 sync
workers) for the API, uvicorn (2 workers) for the ASGI side, where the claim path is the
lean handler in front of Django. The load generator is wrk (C, Debian package; the Python
one in bench/httpload.py tops out near 9k requests/s here, below what the claim path
answers), with bench/claim_rush.lua giving each request the next customer's own token.

Phases, one run, the same generator and connection count for every figure:
1. the minimal Django JSON view (GET /health/live) under gunicorn, and a bare ASGI hello
   under uvicorn: the ceilings the ratios are taken against;
2. the rush: every customer's first claim, all fired at once (the first wave of
   `connections` requests leaves within a few milliseconds, the rest as answers return);
3. sold out: the crowd keeps pressing "buy" for SOLD_OUT_SECONDS, and the database's
   transaction counter (pg_stat_database) is read before and after: it must not move;
4. correctness: units held <= units, one per customer, stock + held + sold == initial;
5. a second sale rushed with the Python generator, which records each answer's time,
   for the plot of throughput and latency over the rush (bench/reports/flash_sale.png).
The claim rate per address is raised for the run: every request comes from 127.0.0.1.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import httpload
from bench.server import bench_environment, call, serve, wrk
from ops.servers import child_environment, free_port

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "bench" / "reports"
SOLD_OUT_SECONDS = 5


def transactions(database_url: str) -> int:
    """Committed + rolled-back transactions of the shop's database, once the stats settle."""
    import psycopg

    # A busy backend flushes its counters at most once a second, an idle one after up to
    # 10 s (PGSTAT_IDLE_INTERVAL): wait that out, so the rush's own writes are not counted.
    time.sleep(11)
    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as conn:
        row = conn.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database "
            "WHERE datname = current_database()"
        ).fetchone()
    return int(row[0])


def wait_until_held(database_url: str, sale_id: int, units: int, timeout: float = 30) -> float:
    """Seconds (after wrk stopped) until the admitted claims are all written."""
    import psycopg

    started = time.monotonic()
    with psycopg.connect(
        database_url.replace("postgres://", "postgresql://"), autocommit=True
    ) as conn:
        while time.monotonic() - started < timeout:
            row = conn.execute(
                "SELECT units_taken FROM flashsales_flashsale WHERE id = %s", [sale_id]
            ).fetchone()
            if row[0] >= units:
                break
            time.sleep(0.05)
    return round(time.monotonic() - started, 2)


class HelloServer:
    """The bare ASGI hello under uvicorn with 2 workers."""

    def __enter__(self):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "bench.hello_asgi:app",
                "--port",
                str(self.port),
                "--workers",
                "2",
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            cwd=ROOT,
            env=child_environment(),
            stderr=subprocess.DEVNULL,
        )
        time.sleep(2.5)
        return self.port

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)


def plot(result: httpload.Result, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    bucket = 0.1
    points = sorted(
        zip((t - result.started for t in result.finished), result.latencies, strict=True)
    )
    buckets: dict[int, list[float]] = {}
    for moment, latency in points:
        buckets.setdefault(int(moment / bucket), []).append(latency * 1000)
    xs = [k * bucket for k in sorted(buckets)]
    rps = [len(buckets[k]) / bucket for k in sorted(buckets)]
    p50 = [sorted(v)[len(v) // 2] for k, v in sorted(buckets.items())]
    p99 = [sorted(v)[min(len(v) - 1, int(len(v) * 0.99))] for k, v in sorted(buckets.items())]
    figure, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(8, 6))
    top.plot(xs, rps)
    top.set_ylabel("answers/s")
    top.set_title("Flash-sale rush: distinct customers claiming 100 units")
    bottom.plot(xs, p50, label="p50")
    bottom.plot(xs, p99, label="p99")
    bottom.set_ylabel("latency (ms)")
    bottom.set_xlabel("seconds since the rush began")
    bottom.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--connections", type=int, default=256)
    args = parser.parse_args()

    extra = {"EMAIL_URL": "dummymail://", "THROTTLE_CLAIM_ADDRESS": "100000000/min"}
    with tempfile.TemporaryDirectory() as tmp, bench_environment(True, **extra) as env:
        tokens_file = str(Path(tmp) / "tokens.txt")
        rush_sale, plot_sale = call(
            "rush_sales",
            env=env,
            module="bench.setups",
            units=args.units,
            customers=args.customers,
            tokens_file=tokens_file,
        )["sales"]
        tokens = Path(tokens_file).read_text().split()
        c = args.connections
        report = {}
        with serve("gunicorn", env) as api, serve("uvicorn", env, workers=2) as asgi:
            report["minimal_django_view"] = wrk(
                f"http://127.0.0.1:{api}/health/live", "get.lua", 5, c
            )
            with HelloServer() as hello:
                report["bare_asgi_hello"] = wrk(f"http://127.0.0.1:{hello}/", "get.lua", 5, c)
            path = f"/api/flash-sales/{rush_sale}/claims"
            url = f"http://127.0.0.1:{asgi}{path}"
            # The rush: each customer's first claim. wrk stops on time, not on a count, so it
            # runs long enough for all of them; the extra requests are repeat presses.
            report["rush"] = wrk(url, "claim_rush.lua", 3, c, path, tokens_file, "2")
            report["rush"]["seconds_until_all_held"] = wait_until_held(
                env["DATABASE_URL"], rush_sale, args.units
            )
            before = transactions(env["DATABASE_URL"])
            report["sold_out"] = wrk(
                url, "claim_rush.lua", SOLD_OUT_SECONDS, c, path, tokens_file, "2"
            )
            after = transactions(env["DATABASE_URL"])
            report["sold_out"]["db_transactions"] = after - before - 1  # less our own read

            queue = iter(tokens)
            plot_path = f"/api/flash-sales/{plot_sale}/claims"
            timeline = httpload.run(
                "python generator rush (plot)",
                asgi,
                lambda: httpload.Request(
                    "POST", plot_path, {"Authorization": f"Bearer {next(queue)}"}
                ),
                concurrency=c,
                duration=30,
                max_requests=len(tokens),
            )
        check = call("rush_sold", env=env, module="bench.setups", sale=rush_sale)
        plot(timeline, REPORTS / "flash_sale.png")

    minimal, hello = report["minimal_django_view"]["rps"], report["bare_asgi_hello"]["rps"]
    for name in ("rush", "sold_out"):
        phase = report[name]
        answered = phase["requests"] - phase["statuses"]["5xx"]
        phase["answered_pct"] = round(100 * answered / max(1, phase["requests"]), 2)
        phase["ratio_to_minimal_view"] = round(phase["rps"] / minimal, 2)
        phase["ratio_to_bare_asgi"] = round(phase["rps"] / hello, 2)
    report["plot"] = {"file": str(REPORTS / "flash_sale.png"), **timeline.summary()}
    report["correctness"] = check | {
        "oversold": check["units_held"] > args.units,
        "conserved": check["stock"] + check["in_sale"] + check["units_held"] == args.units,
        "customers": len(tokens),
        "units": args.units,
        "generator": "wrk 4.1 (Lua: a token per request)",
    }
    for name, figures in report.items():
        print(json.dumps({"phase": name, **figures}))
    if os.environ.get("BENCH_STRICT") and (check["units_held"] != args.units):
        raise SystemExit("the rush did not hold exactly the units")


if __name__ == "__main__":
    main()
