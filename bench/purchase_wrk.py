"""Benchmark purchases with wrk against the minimal Django view, in one run (issue 10).

    python -m bench.purchase_wrk [--customers 4000] [--stock 3000] [--seconds 8]
                                 [--workers 2] [--threads 1] [--sqlite]

PostgreSQL (or SQLite) + Redis, gunicorn with 2 sync workers, production settings (mail to a dummy
backend, queued to Celery's broker after the commit as in production). wrk 4.1 with 32
connections and bench/purchase.lua: every request is the next customer's purchase of their
own cart (one unit). Scenarios, each on fresh customers: a hot product (every purchase
locks the same row), the same with an Idempotency-Key, spread products (one of 200
per customer), and spread products bought with an address, a shipping method and the one
coupon every buyer uses (its row locked by every purchase: Black Friday's code). For each: purchases/s, p50/p99, the ratio to the minimal view, CPU per
request of the server and the database (from /proc), and correctness counters: units
sold == stock taken, orders == tickets == 201s, no oversell.
"""

import argparse
import json
import tempfile

from bench.server import bench_environment, call, measured, serve

SCENARIOS = ("hot", "hot_key", "spread", "checkout")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=4000)
    parser.add_argument("--stock", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--sqlite", action="store_true", help="an SQLite file, not PostgreSQL")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per worker (more than 1: gunicorn's gthread workers)",
    )
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory() as tmp,
        bench_environment(not args.sqlite, EMAIL_URL="dummymail://") as env,
    ):
        files = call(
            "purchase_carts",
            env=env,
            module="bench.setups",
            stock=args.stock,
            customers=args.customers,
            folder=tmp,
        )
        db, report, c = env["DATABASE_URL"], {}, 32
        threads = ("--threads", str(args.threads)) if args.threads > 1 else ()
        with serve("gunicorn", env, workers=args.workers, options=threads) as port:
            base = f"http://127.0.0.1:{port}"
            report["minimal_view"] = measured(port, db, f"{base}/health/live", "get.lua", 5, c)
            for scenario in SCENARIOS:
                report[scenario] = measured(
                    port, db, base, "purchase.lua", args.seconds, c, files[scenario], "2"
                )
        check = call("purchases_made", env=env, module="bench.setups")
    minimal = report["minimal_view"]["rps"]
    sold = sum(report[s]["statuses"]["201"] for s in SCENARIOS)
    for name, figures in report.items():
        figures["ratio_to_minimal_view"] = round(figures["rps"] / minimal, 3)
        print(
            json.dumps(
                {"scenario": name, "workers": args.workers, "threads": args.threads, **figures}
            )
        )
    # wrk stops counting on time: answers in flight then are written but not counted.
    print(
        json.dumps(
            {
                "scenario": "correctness",
                **check,
                "purchases_201_counted": sold,
                "exact": check["orders"] == check["tickets"] == check["units_sold"] >= sold
                and check["hot_stock"] == args.stock - check["hot_sold"] >= 0
                and check["coupon_uses"] == check["orders_with_coupon"],
                "generator": "wrk 4.1 (Lua: a customer's token and cart per request)",
            }
        )
    )


if __name__ == "__main__":
    main()
