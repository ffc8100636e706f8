"""Faults on the production topology (ops/topology.py: nginx, gunicorn, uvicorn, Celery
worker and beat from the Procfile), each on its own PostgreSQL and Redis, which the test may
kill: nothing sold twice, nothing lost, and the shop recovers without a restart."""

import json
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from ops.servers import PostgresCluster, RedisServer, free_port
from testing.topology import request, topology, wait_until_ok, worker_processes

pytestmark = pytest.mark.topology


@pytest.fixture
def servers():
    cluster = PostgresCluster().start()
    redis = RedisServer().start()
    try:
        with __import__("psycopg").connect(cluster.url("postgres"), autocommit=True) as db:
            db.execute("CREATE DATABASE shop")
        yield cluster, redis
    finally:
        redis.stop()
        cluster.stop()


def wait_for(condition, timeout: float = 30, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise TimeoutError(message)
        time.sleep(0.1)
    return value


CUSTOMERS, STOCK = 60, 40


def test_a_gunicorn_worker_killed_during_a_purchase_storm_loses_nothing(servers):
    cluster, redis = servers
    with topology(cluster.url("shop"), redis.url, celery=False) as shop:
        buyers = shop.call("carts_ready", customers=CUSTOMERS, stock=STOCK)
        workers = worker_processes(f"127.0.0.1:{shop.replicas[0].web_port}".encode())
        assert len(workers) >= 2
        answers = []

        def buy(buyer):
            cart, token = buyer
            status, body, _ = request(f"{shop.url}/api/carts/{cart}/purchase", "POST", token=token)
            answers.append((status, body))

        with ThreadPoolExecutor(12) as pool:
            futures = [pool.submit(buy, buyer) for buyer in buyers]
            wait_for(lambda: len(answers) >= 8, message="no purchase answered")
            os.kill(workers[0], signal.SIGKILL)
            for future in futures:
                future.result()
        figures = shop.call("consoles_sold")
    statuses = [status for status, _ in answers]
    assert set(statuses) <= {201, 409, 503}, statuses
    assert 503 in statuses or statuses.count(201) + statuses.count(409) == CUSTOMERS
    # Every unit is either in stock or on exactly one order; each order has its ticket.
    assert figures["stock"] + figures["sold"] == STOCK
    assert len(figures["orders"]) == figures["tickets"] == figures["ticket_orders"]
    assert figures["sold"] == len(figures["orders"])  # one unit per buyer's cart
    answered = {body["order"]["id"] for status, body in answers if status == 201}
    assert answered <= set(figures["orders"])  # every 201 names a stored order
    assert statuses.count(201) >= len(figures["orders"]) - statuses.count(503)


UNITS, RUSHERS = 25, 120


def test_redis_restarted_during_a_rush_oversells_nothing_and_claims_resume(servers):
    cluster, redis = servers
    with topology(
        cluster.url("shop"),
        redis.url,
        celery=False,
        THROTTLE_CLAIM="1000/min",
        THROTTLE_CLAIM_ADDRESS="100000/min",
    ) as shop:
        data = shop.call("flash_sale", units=UNITS, customers=RUSHERS)
        url = f"{shop.url}/api/flash-sales/{data['sale']}/claims"
        # Fewer in the first wave than the drop holds, so the second has units left to claim.
        first, second = data["tokens"][:20], data["tokens"][20:]
        statuses = []

        def claim(token):
            status, body, _ = request(url, "POST", token=token)
            statuses.append(status)
            codes.append(body.get("code"))

        codes = []

        with ThreadPoolExecutor(16) as pool:
            futures = [pool.submit(claim, token) for token in first]
            wait_for(lambda: len(statuses) >= 5, message="no claim answered")
            redis.halt()  # Redis dies mid-rush, its data with it
            for future in futures:
                future.result()
        down = list(statuses)
        # Meanwhile: a visitor's catalog read renders without the cache; a signed-in request,
        # whose token cannot be checked against the logout denylist, is a 503, never a 500.
        assert request(f"{shop.url}/api/products")[0] == 200
        status, body, headers = request(f"{shop.url}/api/orders", token=data["tokens"][0])
        assert (status, body["code"], headers["Retry-After"]) == (503, "service_unavailable", "1")
        assert request(f"{shop.url}/health/ready")[1]["checks"]["redis"] == "down"
        redis.start()  # an empty Redis on the same port
        wait_until_ok(f"{shop.url}/health/ready")
        statuses.clear()
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(claim, second))
        after = list(statuses)
        figures = shop.call("flash_sale_figures")
    assert set(down) <= {201, 409, 503}, down  # refused or unavailable, never a 500
    assert set(after) <= {201, 409}, after  # the gate is rebuilt from the database
    assert figures["taken"] == figures["claims"] == figures["customers"] <= UNITS
    assert figures["taken"] == UNITS  # claims resumed until the drop sold out
    assert figures["gate"] == figures["taken"]  # the rebuilt gate agrees with the database
    assert down.count(201) + after.count(201) == figures["claims"]


def test_postgresql_restarted_answers_503_then_recovers_without_a_restart(servers):
    cluster, redis = servers
    with topology(cluster.url("shop"), redis.url, celery=False, CATALOG_CACHE_SECONDS="0") as shop:
        [token] = shop.call("customer_tokens", emails=["ana@example.com"]).values()
        assert request(f"{shop.url}/api/products")[0] == 200
        cluster.halt()
        try:
            answers = [request(f"{shop.url}/api/products") for _ in range(4)]
            answers += [request(f"{shop.url}/api/sessions/current", token=token) for _ in range(4)]
            ready = request(f"{shop.url}/health/ready")
        finally:
            cluster.start()
        for status, body, headers in answers:
            assert (status, body["code"]) == (503, "database_unavailable")
            assert headers["Retry-After"]
        assert ready[0] == 503 and ready[1]["checks"]["database"] == "down"

        # The same processes reconnect: a worker may fail its first request after the restart
        # (its connection died with the server), never more; which worker takes a request is
        # the kernel's choice, so each check asks until it is answered.
        def until_answered(path, **options):
            for _ in range(10):
                answer = request(f"{shop.url}{path}", **options)
                if answer[0] != 503:
                    return answer
                assert answer[1]["code"] == "database_unavailable"
            raise AssertionError(f"{path} still unavailable")

        assert until_answered("/api/products")[0] == 200
        me = until_answered("/api/sessions/current", token=token)
        assert me[1].get("email") == "ana@example.com", me


class StallingSMTP:
    """A mail server that holds the first message it is given without ever accepting it."""

    def __init__(self):
        self.attempts, self.accepted = 0, []
        self.stalled = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd names it
        import asyncio

        self.attempts += 1
        if self.attempts == 1:
            self.stalled.set()
            await asyncio.sleep(3600)  # the sender dies waiting for the answer
        self.accepted.append(envelope.content.decode(errors="replace"))
        return "250 Message accepted for delivery"


def test_a_celery_worker_killed_mid_task_sends_the_email_once(servers):
    from aiosmtpd.controller import Controller

    cluster, redis = servers
    smtp = StallingSMTP()
    port = free_port()
    controller = Controller(smtp, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with topology(
            cluster.url("shop"),
            redis.url,
            EMAIL_URL=f"smtp://127.0.0.1:{port}",
            CELERY_CONCURRENCY="1",
        ) as shop:
            [[cart, token]] = shop.call("carts_ready", customers=1, stock=STOCK)
            status, bought, headers = request(
                f"{shop.url}/api/carts/{cart}/purchase", "POST", token=token
            )
            assert status == 201
            # The ticket e-mail's task is now inside the mail server's DATA: kill its process.
            assert smtp.stalled.wait(30)
            pool = worker_processes(b"celery --app config worker")
            assert pool
            for pid in pool:
                os.kill(pid, signal.SIGKILL)
            wait_for(lambda: smtp.accepted, message="the e-mail was never sent again")
            time.sleep(2)  # room for a wrong second delivery
            log = shop.log("celery")
            emailed = shop.call("tickets_emailed")
    finally:
        controller.stop()
    assert smtp.attempts == 2  # the killed run, then the task again
    assert len(smtp.accepted) == 1 and bought["ticket"]["code"] in smtp.accepted[0]
    assert len(emailed) == 1 and emailed[0] != "None"
    # The request's id (nginx's) follows it into the task: the worker's JSON log line says so.
    sent = [
        json.loads(line.split("| ", 1)[1])
        for line in log.splitlines()
        if "E-mail sent" in line and "| {" in line
    ]
    assert [line["request_id"] for line in sent] == [headers["X-Request-ID"]]


def test_a_socket_held_across_a_redis_restart_hears_the_pushes_after_it(servers):
    """Redis restarted under an open socket: the next status change still reaches it, or
    the server closes it (1012) so that the client reconnects; never open and deaf."""
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    cluster, redis = servers
    # One gunicorn worker: both changes are published by the process that saw Redis go.
    with topology(cluster.url("shop"), redis.url, celery=False, WEB_CONCURRENCY="1") as shop:
        data = shop.call("orders_placed", email="ana@example.com", count=2, price="99.00")
        first, second = data["orders"]
        url = f"ws://127.0.0.1:{shop.port}/ws/orders/?token={data['token']}"
        cancel = f"{shop.url}/api/orders/{{}}/cancel"
        with connect(url, open_timeout=10) as watcher:
            assert request(cancel.format(first), "POST", token=data["token"])[0] == 200
            assert json.loads(watcher.recv(timeout=5))["order_id"] == first
            redis.halt()
            redis.start()  # empty, on the same port
            wait_until_ok(f"{shop.url}/health/ready")
            time.sleep(2)  # the processes find out on their own
            status = request(cancel.format(second), "POST", token=data["token"])[0]
            assert status == 200
            try:
                event = json.loads(watcher.recv(timeout=10))
            except ConnectionClosed as closed:
                assert closed.rcvd is not None and closed.rcvd.code == 1012
            else:
                assert (event["order_id"], event["status"]) == (second, "cancelled")
