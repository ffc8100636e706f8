"""A uvicorn worker killed (SIGKILL) in the middle of a rush loses no unit for good and
sells none twice: the real servers, a real Redis, the run's database."""

import os
import signal
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

UNITS, CUSTOMERS = 40, 160


def processes_of(port: int) -> tuple[int, list[int]]:
    """The uvicorn supervisor listening on `port` and its worker processes."""
    table = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        table[int(pid)] = (cmdline, parent)
    master = next(
        p
        for p, (cmd, _) in table.items()
        if b"uvicorn" in b" ".join(cmd) and str(port).encode() in cmd
    )
    children = [
        p
        for p, (cmd, parent) in table.items()
        if parent == master and p != master and b"resource_tracker" not in b" ".join(cmd)
    ]
    return master, children


def test_a_worker_killed_mid_rush_loses_no_unit_for_good(server_database_url, redis_server):
    from testing.shop import call, production_environment, serve

    env = production_environment(
        database_url=server_database_url,
        migrate=False,
        redis_url=redis_server.url,
        THROTTLE_CLAIM="1000/min",
        THROTTLE_CLAIM_ADDRESS="100000/min",
    )
    created = call("flash_sale", env=env, units=UNITS, customers=CUSTOMERS)
    with serve("uvicorn", env, workers=2) as port:
        _, workers = processes_of(port)
        assert len(workers) == 2
        done = []

        def one(token):
            status = claim_for(port, created["sale"], token)
            done.append(status)
            return status

        with ThreadPoolExecutor(24) as pool:
            futures = [pool.submit(one, token) for token in created["tokens"]]
            while len(done) < 20:
                time.sleep(0.005)
            os.kill(workers[0], signal.SIGKILL)
            statuses = [f.result() for f in futures]
    figures = call("flash_sale_figures_around_expiry", env=env)
    during, after = figures["during"], figures["after"]
    assert statuses.count(201) <= UNITS
    # None sold twice: one claim per order, and the sale counts exactly those.
    assert during["claims"] == during["orders"] == during["taken"] >= statuses.count(201)
    assert during["taken"] <= UNITS
    assert during["gate"] == during["taken"]  # reconciled with the database
    # No unit lost for good: once the holds expire, every unit is back in the sale.
    assert after["taken"] == 0 and after["gate"] == 0
    assert after["stock"] == 0  # all 40 still belong to the sale, none leaked to the stock


def claim_for(port: int, sale_id: int, token: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/flash-sales/{sale_id}/claims",
        method="POST",
        headers={"Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0  # the connection died with its worker
