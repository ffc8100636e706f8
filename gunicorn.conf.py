"""gunicorn's production defaults: `gunicorn` reads this file from the working directory,
so `gunicorn config.wsgi` serves the API with them. The command line (or GUNICORN_CMD_ARGS)
overrides any of them.

Measured with bench/purchase_wrk.py on a 2-core machine with PostgreSQL on the same cores
(README, "Workers"): sync workers, one per core, served the most purchases and the most
minimal-view requests; a third or fourth sync worker, or gthread workers (2x4, 4x2
threads), only added context switches and doubled the p99 for the same CPU per request.
A purchase is CPU-bound in the worker, not waiting on the database. Each sync worker keeps
one persistent PostgreSQL connection (DB_CONN_MAX_AGE), so a connection pool in the
process adds nothing; PgBouncer becomes useful when replicas x workers outgrow
PostgreSQL's connection limit.
"""

import os

wsgi_app = "config.wsgi:application"
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 2)
# Behind a proxy that keeps connections open (nginx, a load balancer).
keepalive = 5


def child_exit(server, worker):
    """A worker that exits leaves its counters to /metrics and drops its live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
