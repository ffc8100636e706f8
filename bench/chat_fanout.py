"""Benchmark the chat's fan-out: N connected clients, messages delivered to every one.

    python -m bench.chat_fanout [--clients 200,1000] [--senders 5] [--messages 40] [--rate 20]

Production settings on one machine: a throw-away PostgreSQL and Redis (the channel layer),
uvicorn with 2 workers serving WS /ws/chat/. The clients are asyncio `websockets`
connections in this process, each signed in with its own customer's token, so they spread
over both workers and every message crosses Redis to reach the other worker's clients.
`senders` of them post `messages` each, `rate` messages per second in all; each message
carries its send time, and every client records when it arrives.

Prints, per client count: connect time, messages sent, deliveries expected and received,
deliveries per second (from the first send to the last delivery), p50/p99/max delivery
latency, the server's CPU per delivery, and the minimal Django view (GET /health/live on
the same uvicorn, wrk) for scale. Correctness: every client receives every message once,
and the database holds every message sent.
"""

import argparse
import asyncio
import contextlib
import json
import statistics
import time

from bench.server import bench_environment, manage, measured, serve, server_cpu_seconds

SETUP = """
import json
from accounts.models import User
from rest_framework_simplejwt.tokens import AccessToken
User.objects.bulk_create(User(email=f"c{{i}}@chat.local") for i in range({clients}))
tokens = []
for user in User.objects.filter(email__endswith="@chat.local").order_by("id"):
    token = AccessToken.for_user(user)
    token["role"] = "customer"
    tokens.append(str(token))
print(json.dumps(tokens))
"""


async def fan_out(port: int, tokens: list[str], senders: int, messages: int, rate: float):
    from websockets.asyncio.client import connect

    expected = senders * messages
    latencies: list[float] = []
    counts = [0] * len(tokens)
    done = asyncio.Event()
    started = time.perf_counter()
    sockets = await asyncio.gather(*(
        connect(f"ws://127.0.0.1:{port}/ws/chat/?token={token}", open_timeout=60,
                max_queue=None)
        for token in tokens
    ))  # fmt: skip
    for socket in sockets:
        assert json.loads(await socket.recv())["type"] == "chat.history"
    connect_seconds = time.perf_counter() - started

    async def listen(index, socket):
        async for raw in socket:
            frame = json.loads(raw)
            if frame["type"] != "chat.message":
                continue
            latencies.append(time.time() - float(frame["message"].split()[0]))
            counts[index] += 1
            if counts[index] == expected and all(c == expected for c in counts):
                done.set()

    listeners = [asyncio.create_task(listen(i, s)) for i, s in enumerate(sockets)]
    first_send = time.perf_counter()
    for n in range(expected):
        socket = sockets[n % senders]
        await socket.send(json.dumps({"type": "chat.send", "message": f"{time.time()} #{n}"}))
        await asyncio.sleep(max(0.0, first_send + (n + 1) / rate - time.perf_counter()))
    with contextlib.suppress(TimeoutError):  # figures of what arrived, all or not
        await asyncio.wait_for(done.wait(), timeout=30)
    elapsed = time.perf_counter() - first_send
    for task in listeners:
        task.cancel()
    await asyncio.gather(*(socket.close() for socket in sockets), return_exceptions=True)
    latencies.sort()
    received = sum(counts)

    def percentile(p):
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000, 1)

    return {
        "clients": len(tokens), "connect_s": round(connect_seconds, 2), "messages_sent": expected,
        "deliveries_expected": expected * len(tokens), "deliveries_received": received,
        "every_client_got_every_message": all(c == expected for c in counts),
        "deliveries_per_s": round(received / elapsed), "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99), "max_ms": round(latencies[-1] * 1000, 1),
        "median_ms": round(statistics.median(latencies) * 1000, 1),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--clients", default="200,1000", help="client counts, one run each")
    parser.add_argument("--senders", type=int, default=5)
    parser.add_argument("--messages", type=int, default=40, help="per sender")
    parser.add_argument("--rate", type=float, default=20, help="messages per second in all")
    args = parser.parse_args()
    counts = [int(n) for n in args.clients.split(",")]

    extra = {"CHAT_RATE_MESSAGES": "1000000", "THROTTLE_LOGIN": "1000000/min"}
    with bench_environment(True, **extra) as env:
        tokens = json.loads(
            manage("shell", "-v", "0", "-c", SETUP.format(clients=max(counts)), env=env)
        )
        db = env["DATABASE_URL"]
        with serve("uvicorn", env, workers=2) as port:
            minimal = measured(port, db, f"http://127.0.0.1:{port}/health/live", "get.lua", 5, 32)
            print(json.dumps({"scenario": "minimal_view_uvicorn", **minimal}))
            for count in counts:
                cpu = server_cpu_seconds(port)
                figures = asyncio.run(
                    fan_out(port, tokens[:count], args.senders, args.messages, args.rate)
                )
                used = server_cpu_seconds(port) - cpu
                figures["server_cpu_ms_per_delivery"] = round(
                    used * 1000 / max(1, figures["deliveries_received"]), 3
                )
                print(json.dumps({"scenario": "chat_fan_out", **figures}))
        stored = manage("shell", "-v", "0", "-c",
                        "from chat.models import Message; print(Message.objects.count())",
                        env=env)  # fmt: skip
        sent = sum(args.senders * args.messages for _ in counts)
        print(json.dumps({"scenario": "correctness", "messages_sent": sent,
                          "messages_stored": int(stored.strip()),
                          "exact": int(stored.strip()) == sent}))  # fmt: skip


if __name__ == "__main__":
    main()
