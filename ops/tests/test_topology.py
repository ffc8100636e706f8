"""Scale-out on this machine: two complete replicas (each its own gunicorn and uvicorn, from
the Procfile) behind one nginx rendered from deploy/nginx/, sharing one PostgreSQL and one
Redis. Nothing may depend on which replica a request or a socket lands on."""

import contextlib
import json
import secrets
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest

from ops.servers import RedisServer, free_port
from ops.topology import honcho, render_nginx, stop
from testing.concurrency import clear_of_window_edge
from testing.shop import create_database
from testing.topology import request, topology, wait_until_ok

pytestmark = pytest.mark.topology
UNITS, RUSHERS = 30, 150


@contextlib.contextmanager
def backends(postgres_cluster, template):
    """(DATABASE_URL, REDIS_URL): a migrated database on the session's PostgreSQL (a copy of
    `template`), a Redis of its own."""
    name = f"topology_{secrets.token_hex(4)}"
    url = create_database(postgres_cluster, name, template=template)
    redis = RedisServer().start()
    try:
        yield url, redis.url
    finally:
        redis.stop()


@pytest.fixture(scope="module")
def shop(postgres_cluster, postgres_template):
    with (
        backends(postgres_cluster, postgres_template) as (database_url, redis_url),
        topology(
            database_url,
            redis_url,
            replicas=2,
            celery=False,
            THROTTLE_CLAIM="1000/min",
            THROTTLE_CLAIM_ADDRESS="100000/min",
            THROTTLE_LOGIN="5/min",
        ) as running,
    ):
        running.data = running.call("rush_and_regulars", units=UNITS, rushers=RUSHERS)
        yield running


def test_a_rush_through_nginx_sells_exactly_one_drop(shop):
    url = f"{shop.url}/api/flash-sales/{shop.data['sale']}/claims"
    # Every customer presses twice, all at once, spread by nginx over both replicas.
    tokens = shop.data["rushers"] * 2
    with ThreadPoolExecutor(48) as pool:
        statuses = list(pool.map(lambda t: request(url, "POST", token=t)[0], tokens))
    assert statuses.count(201) == UNITS
    assert statuses.count(409) == len(tokens) - UNITS  # sold out or limit reached, never a 5xx
    sold = shop.call("flash_sale_sold")
    assert sold == [UNITS, UNITS, UNITS, UNITS]  # one unit per customer, none twice


def test_a_chat_message_reaches_a_client_of_the_other_replica_and_one_behind_nginx(shop):
    from websockets.sync.client import connect

    first, second = shop.replicas
    ana, bia = shop.data["ana"], shop.data["bia"]
    with (
        connect(f"ws://127.0.0.1:{first.ws_port}/ws/chat/?token={ana}", open_timeout=10) as sender,
        connect(f"ws://127.0.0.1:{second.ws_port}/ws/chat/?token={bia}", open_timeout=10) as reader,
        connect(f"ws://127.0.0.1:{shop.port}/ws/chat/?token={bia}", open_timeout=10) as proxied,
    ):
        for socket_ in (sender, reader, proxied):
            assert json.loads(socket_.recv(timeout=5))["type"] == "chat.history"
        sender.send(json.dumps({"type": "chat.send", "message": "from replica one"}))
        for socket_ in (reader, proxied):
            received = json.loads(socket_.recv(timeout=5))
            assert received["type"] == "chat.message"
            assert received["user"].startswith("Customer ")  # a display name, never an e-mail
            assert received["message"] == "from replica one"


def test_an_order_status_change_on_one_replica_reaches_a_socket_on_the_other(shop):
    from websockets.sync.client import connect

    first, second = shop.replicas
    token = shop.data["ana"]
    api = f"http://127.0.0.1:{second.web_port}/api"
    cart = request(f"{api}/sessions/current", token=token)[1]["cart_id"]
    assert (
        request(
            f"{api}/carts/{cart}/items",
            "POST",
            {"product_id": shop.data["case"], "quantity": 1},
            token=token,
        )[0]
        == 201
    )
    status, bought, _ = request(f"{api}/carts/{cart}/purchase", "POST", token=token)
    assert status == 201, bought
    order = bought["order"]
    with connect(
        f"ws://127.0.0.1:{first.ws_port}/ws/orders/?token={token}", open_timeout=10
    ) as watcher:
        assert request(f"{api}/orders/{order['id']}/cancel", "POST", token=token)[0] == 200
        event = json.loads(watcher.recv(timeout=5))
    assert (event["type"], event["order_id"], event["status"]) == (
        "order.status",
        order["id"],
        "cancelled",
    )


def test_the_login_throttle_counts_across_both_replicas(shop):
    clear_of_window_edge()  # the six attempts count in one minute's window
    statuses = []
    for attempt in range(6):
        replica = shop.replicas[attempt % 2]
        statuses.append(
            request(
                f"http://127.0.0.1:{replica.web_port}/api/auth/token",
                "POST",
                {"email": "nobody@example.com", "password": "wrong"},
            )[0]
        )
    assert statuses == [401] * 5 + [429]


def test_slow_request_bodies_hold_nginx_connections_not_workers(shop):
    # More slow senders than the two replicas have gunicorn workers (2 x 2): each announces
    # a body and trickles in a few bytes of it. nginx reads bodies in full before passing them.
    slow = []
    for _ in range(8):
        sock = socket.create_connection(("127.0.0.1", shop.port), timeout=10)
        sock.sendall(
            b"POST /api/auth/token/verify HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"tok'
        )
        slow.append(sock)
    try:
        assert request(f"{shop.url}/api/products", timeout=5)[0] == 200
        status, body, _ = request(
            f"{shop.url}/api/auth/token/verify", "POST", {"token": "not-a-token"}, timeout=5
        )
        assert (status, body["code"]) == (401, "token_not_valid")
        for sock in slow:  # the slow ones are still sending, unanswered
            sock.setblocking(False)
            with pytest.raises(BlockingIOError):
                sock.recv(1)
    finally:
        for sock in slow:
            sock.close()


def test_nginx_listens_on_loopback_only(shop):
    # 127.0.0.2 is this machine as well: an nginx listening on every address answers it.
    assert request(f"http://127.0.0.1:{shop.port}/health/live")[0] == 200
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.2", shop.port), timeout=5)


def test_nginx_refusals_use_the_error_shape(shop):
    status, body, headers = request(
        f"{shop.url}/api/auth/token/verify", "POST", {"token": "x" * 3_000_000}
    )
    assert (status, body["code"]) == (413, "request_too_large")
    assert request(f"{shop.url}/metrics")[0] == 404  # scraped on each replica, not from outside
    assert headers["X-Request-ID"]


def test_the_edge_rate_limit_answers_429_before_the_shop(shop):
    port = free_port()
    prefix = shop.runtime / "edge"
    render_nginx(
        prefix,
        port=port,
        access_log=False,
        rate_per_second=2,
        web_ports=[r.web_port for r in shop.replicas],
        ws_ports=[r.ws_port for r in shop.replicas],
    )
    edge = honcho("nginx", env=shop.env | {"NGINX_PREFIX": str(prefix)})
    try:
        wait_until_ok(f"http://127.0.0.1:{port}/health/live")
        answers = [request(f"http://127.0.0.1:{port}/health/live") for _ in range(20)]
    finally:
        stop(edge)
    refused = [(body, headers) for status, body, headers in answers if status == 429]
    assert refused, [status for status, _, _ in answers]
    body, headers = refused[0]
    assert body["code"] == "throttled" and headers["Retry-After"] == "1"


def test_a_large_request_body_reaches_the_shop_through_nginx(shop):
    # Over client_body_buffer_size (64 KB): nginx writes it to its temp directory first.
    status, body, _ = request(f"{shop.url}/api/auth/token/verify", "POST", {"token": "x" * 100_000})
    assert (status, body["code"]) == (401, "token_not_valid")


def raw(port: int, data: bytes) -> tuple[int, str, dict]:
    """Send bytes as they are; (status, content type, JSON body or {})."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = {}
    return int(lines[0].split()[1]), headers.get("Content-Type", ""), parsed


@pytest.mark.parametrize(
    ("request_bytes", "status", "code"),
    [
        (b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "bad_request"),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + b"b" * 20_000 + b"\r\n\r\n",
            400,
            "request_header_too_large",
        ),
        (b"TRACE / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 405, "method_not_allowed"),
        (b"GET /" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: a\r\n\r\n", 414, "uri_too_long"),
        (
            b"POST /api/products HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n"
            b"Connection: close\r\n\r\n",
            501,
            "not_implemented",
        ),
        (
            b"GET /_shop_errors/throttled HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
            404,
            "not_found",
        ),
    ],
    ids=[
        "duplicate-host",
        "header-too-large",
        "trace",
        "uri-too-long",
        "transfer-encoding",
        "internal",
    ],
)
def test_nginx_own_refusals_answer_in_the_error_shape(shop, request_bytes, status, code):
    answered, content_type, body = raw(shop.port, request_bytes)
    assert (answered, body.get("code")) == (status, code)
    assert content_type.startswith("application/json") and body["detail"]


@pytest.fixture
def echo_behind_nginx(shop):
    """An nginx from the template in front of a loopback HTTP receiver that records the
    headers of each request it gets, for both the web and the WebSocket upstreams."""
    import http.server
    import threading

    seen = []

    class Echo(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append({name.lower(): value for name, value in self.headers.items()})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port, upstream = free_port(), server.server_address[1]
    prefix = shop.runtime / "echo"
    render_nginx(prefix, port=port, access_log=False, web_ports=[upstream], ws_ports=[upstream])
    edge = honcho("nginx", env=shop.env | {"NGINX_PREFIX": str(prefix)})
    try:
        wait_until_ok(f"http://127.0.0.1:{port}/")
        seen.clear()
        yield port, seen
    finally:
        stop(edge)
        server.shutdown()


def test_nginx_keeps_a_callers_request_id_and_sets_the_forwarding_headers_everywhere(
    echo_behind_nginx,
):
    import http.client

    port, seen = echo_behind_nginx
    sent = {
        "X-Request-ID": "6f1b2c7e-9d0a-4e2b-8c1d-2a3b4c5d6e7f",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "203.0.113.9",
    }
    answers = []
    for path, extra in [
        ("/api/products", {}),
        ("/ws/chat/", {"Upgrade": "websocket", "Connection": "Upgrade"}),
    ]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", path, headers={**sent, **extra, "Host": "shop.example"})
        answers.append(connection.getresponse().getheader("X-Request-ID"))
        connection.close()
    assert answers == [sent["X-Request-ID"]] * 2
    for headers in seen:  # the API and the /ws/ location alike
        assert headers["host"] == "shop.example"
        assert headers["x-request-id"] == sent["X-Request-ID"]  # what MercadoPago signs
        # nginx is the edge: the connection was plain HTTP, whatever the client claims.
        assert headers["x-forwarded-proto"] == "http"
        assert headers["x-forwarded-for"] == "203.0.113.9, 127.0.0.1"
    assert len(seen) == 2

    # An id that is not a plain token is replaced by nginx's own.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/api/products", headers={"X-Request-ID": 'a b"c' + "d" * 200})
    replaced = connection.getresponse().getheader("X-Request-ID")
    assert len(replaced) == 32 and seen[-1]["x-request-id"] == replaced


MP_SECRET = "mp-webhook-secret-for-the-topology-test"


def test_a_signed_mercadopago_notification_through_nginx_pays_the_order(
    postgres_cluster, postgres_template
):
    import uuid

    from payments.tests.fake_mercadopago import FakeMercadoPago, notification_headers

    with (
        backends(postgres_cluster, postgres_template) as (database_url, redis_url),
        FakeMercadoPago(access_token="TEST-mp") as mercadopago,
        topology(
            database_url,
            redis_url,
            celery=False,
            PAYMENT_PROVIDER="mercadopago",
            ALLOW_SANDBOX_PAYMENTS="false",
            MERCADOPAGO_API_URL=mercadopago.url,
            MERCADOPAGO_ACCESS_TOKEN="TEST-mp",
            MERCADOPAGO_WEBHOOK_SECRET=MP_SECRET,
        ) as shop,
    ):
        data = shop.call(
            "orders_placed", email="ana@example.com", sku="CASE", price="50.00", stock=3
        )
        api = f"{shop.url}/api"
        status, payment, _ = request(
            f"{api}/orders/{data['order']}/payments", "POST", {"method": "pix"}, token=data["token"]
        )
        assert status == 201, payment
        [charge_id] = mercadopago.payments
        mercadopago.set_status(charge_id, "approved")

        # As MercadoPago sends it: its own request id, signed into x-signature.
        headers = notification_headers(
            secret=MP_SECRET, data_id=charge_id, request_id=str(uuid.uuid4())
        )
        status, answer, _ = request(
            f"{api}/payments/webhooks/mercadopago?data.id={charge_id}&type=payment",
            "POST",
            {"id": 7001, "type": "payment", "action": "payment.updated", "data": {"id": charge_id}},
            headers=headers,
        )
        assert (status, answer) == (200, {"result": "processed"})
        order = request(f"{api}/orders/{data['order']}", token=data["token"])[1]
        assert order["status"] == "paid"
        # The sandbox's doors are shut under a real provider.
        assert (
            request(f"{api}/payments/sandbox/pix/{payment['id']}/pay", "POST", token=data["token"])[
                0
            ]
            == 404
        )
