"""Benchmark payment webhooks: P orders awaiting Pix, their approvals notified D times each.

    python -m bench.webhook_bench [--postgres] [--payments 400] [--duplicates 3] [--concurrency 32]

Every payment's approval is delivered `duplicates` times with the same event id, plus once
more with a second event id (as a provider that notifies twice does), shuffled so copies of
one notification race each other. Served by gunicorn (2 sync workers) on production settings.
Prints webhooks/s, p50/p99, server CPU per request, the same run's minimal Django view
(GET /health/live) for the ratio, and the correctness counters: every order paid exactly
once, one processed delivery per event, no refund, no double payment.
"""

import argparse
import json
import random
import time

from bench import httpload
from bench.server import bench_environment, call, serve, server_cpu_seconds


def measured(label, port, next_request, **kwargs):
    cpu = server_cpu_seconds(port)
    result = httpload.run(label, port, next_request, **kwargs)
    used = server_cpu_seconds(port) - cpu
    requests = len(result.latencies) or 1
    return result, result.summary() | {"cpu_ms_per_request": round(used * 1000 / requests, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--payments", type=int, default=400)
    parser.add_argument("--duplicates", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()

    database = "postgresql" if args.postgres else "sqlite"
    with bench_environment(args.postgres, EMAIL_URL="dummymail://") as env:
        deliveries = call(
            "approved_pix_notifications",
            env=env,
            module="bench.setups",
            payments=args.payments,
            duplicates=args.duplicates,
        )
        random.Random(8).shuffle(deliveries)
        queue = iter(deliveries)

        def next_webhook():
            signature, body = next(queue)
            return httpload.Request(
                "POST",
                "/api/payments/webhooks/sandbox",
                {"Content-Type": "application/json", "X-Signature": signature},
                body.encode(),
            )

        def next_probe():
            return httpload.Request("GET", "/health/live")

        results, answers = [], {"processed": 0, "duplicate": 0}

        def count(status, body):
            if status == 200:
                answers[json.loads(body)["result"]] += 1

        with serve("gunicorn", env) as port:
            time.sleep(1)
            _, baseline = measured(
                f"gunicorn GET /health/live, minimal view ({database})",
                port,
                next_probe,
                concurrency=args.concurrency,
                duration=5,
            )
            result, webhooks = measured(
                f"gunicorn POST webhook ({database})",
                port,
                next_webhook,
                concurrency=args.concurrency,
                duration=120,
                max_requests=len(deliveries),
                on_response=count,
            )
            results += [baseline, webhooks]
        check = call("webhooks_applied", env=env, module="bench.setups")
        events = 2 * args.payments
        webhooks |= {
            "ratio_to_minimal_view": round(webhooks["rps"] / baseline["rps"], 3),
            "deliveries": len(deliveries),
            "processed": answers["processed"],
            "duplicates": answers["duplicate"],
            **check,
            "double_payments": check["paid_events"] - check["orders_paid"],
            "correct": result.statuses.get(200, 0) == len(deliveries)
            and check["orders_paid"] == check["paid_events"] == args.payments
            and check["payments_approved"] == args.payments
            and check["refunds"] == 0
            and check["events_recorded"] == events
            and answers["processed"] == events,
        }
        for summary in results:
            print(json.dumps(summary))


if __name__ == "__main__":
    main()
