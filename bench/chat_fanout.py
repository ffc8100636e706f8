"""Benchmark the chat's fan-out: N connected clients, messages delivered to every one.

    python -m bench.chat_fanout [--clients 200,1000] [--load 1500] [--seconds 10] [--burst 20]

Production settings on one machine: a throw-away PostgreSQL and Redis (the channel layer),
uvicorn with 2 workers serving WS /ws/chat/. The clients are asyncio `websockets`
connections in this process, each signed in with its own customer's token, so they spread
over both workers and every message crosses Redis to reach the other worker's clients.
Five of them take turns sending; each message carries its send time, and every client
records when it arrives. Two phases per client count:
- steady: `load` deliveries per second offered (messages per second = load / clients) for
  `seconds`: delivery latency p50/p99/max at that load;
- burst: `burst` messages sent at once: deliveries per second until the last arrives, the
  fan-out's ceiling on this machine (which the clients share with the server).

Prints, per phase: messages sent, deliveries expected and received, deliveries per second
(first send to last delivery), latency, the server's CPU per delivery, and the minimal
Django view (GET /health/live on the same uvicorn, wrk) for scale. Correctness: every
client receives every message, and the database holds every message sent.
"""

import argparse
import asyncio
import contextlib
import json
import time

from bench.server import bench_environment, manage, measured, serve, server_cpu_seconds

SETUP = """
import json
from accounts.models import User
from accounts.tokens import access_token_for
User.objects.bulk_create(User(email=f"c{{i}}@chat.local") for i in range({clients}))
tokens = []
for user in User.objects.filter(email__endswith="@chat.local").order_by("id"):
    tokens.append(str(access_token_for(user)))
print(json.dumps(tokens))
"""


SENDERS = 5


async def connected(port: int, tokens: list[str]):
    from websockets.asyncio.client import connect

    sockets = await asyncio.gather(
        *(
            connect(
                f"ws://127.0.0.1:{port}/ws/chat/?token={token}", open_timeout=60, max_queue=None
            )
            for token in tokens
        )
    )
    for socket in sockets:
        assert json.loads(await socket.recv())["type"] == "chat.history"
    return sockets


async def fan_out(sockets, messages: int, rate: float | None) -> dict:
    """Send `messages` (at `rate` per second, or all at once) and time every delivery."""
    latencies: list[float] = []
    counts = [0] * len(sockets)
    done = asyncio.Event()

    async def listen(index, socket):
        async for raw in socket:
            frame = json.loads(raw)
            if frame["type"] != "chat.message":
                continue
            latencies.append(time.time() - float(frame["message"].split()[0]))
            counts[index] += 1
            if counts[index] == messages and all(c == messages for c in counts):
                done.set()

    listeners = [asyncio.create_task(listen(i, s)) for i, s in enumerate(sockets)]
    first_send = time.perf_counter()
    for n in range(messages):
        text = f"{time.time()} #{n}"
        await sockets[n % SENDERS].send(json.dumps({"type": "chat.send", "message": text}))
        if rate:
            await asyncio.sleep(max(0.0, first_send + (n + 1) / rate - time.perf_counter()))
    with contextlib.suppress(TimeoutError):  # figures of what arrived, all or not
        await asyncio.wait_for(done.wait(), timeout=60)
    elapsed = time.perf_counter() - first_send
    for task in listeners:
        task.cancel()
    latencies.sort()
    received = sum(counts)

    def percentile(p):
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000, 1)

    return {
        "clients": len(sockets),
        "messages_sent": messages,
        "deliveries_expected": messages * len(sockets),
        "deliveries_received": received,
        "every_client_got_every_message": all(c == messages for c in counts),
        "deliveries_per_s": round(received / elapsed),
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
        "max_ms": round(latencies[-1] * 1000, 1),
    }


async def phases(port: int, tokens: list[str], load: float, seconds: float, burst: int):
    started = time.perf_counter()
    sockets = await connected(port, tokens)
    connect_s = round(time.perf_counter() - started, 2)
    rate = load / len(tokens)
    results = []
    for phase, messages, pace in (
        ("steady", max(SENDERS, round(rate * seconds)), rate),
        ("burst", burst, None),
    ):
        cpu = server_cpu_seconds(port)
        figures = await fan_out(sockets, messages, pace)
        used = server_cpu_seconds(port) - cpu
        figures["server_cpu_ms_per_delivery"] = round(
            used * 1000 / max(1, figures["deliveries_received"]), 3
        )
        results.append(
            {
                "scenario": f"chat_{phase}",
                "connect_s": connect_s,
                "offered_deliveries_per_s": round(load) if pace else None,
                **figures,
            }
        )
        await asyncio.sleep(1)  # let the last frames drain before the next phase
    await asyncio.gather(*(socket.close() for socket in sockets), return_exceptions=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--clients", default="200,1000", help="client counts, one run each")
    parser.add_argument("--load", type=float, default=1500, help="deliveries/s offered (steady)")
    parser.add_argument("--seconds", type=float, default=10, help="of the steady phase")
    parser.add_argument("--burst", type=int, default=20, help="messages sent at once")
    args = parser.parse_args()
    counts = [int(n) for n in args.clients.split(",")]

    extra = {"CHAT_RATE_MESSAGES": "1000000", "THROTTLE_LOGIN": "1000000/min"}
    sent = 0
    with bench_environment(True, **extra) as env:
        tokens = json.loads(
            manage("shell", "-v", "0", "-c", SETUP.format(clients=max(counts)), env=env)
        )
        db = env["DATABASE_URL"]
        with serve("uvicorn", env, workers=2) as port:
            minimal = measured(port, db, f"http://127.0.0.1:{port}/health/live", "get.lua", 5, 32)
            print(json.dumps({"scenario": "minimal_view_uvicorn", **minimal}))
            for count in counts:
                results = asyncio.run(
                    phases(port, tokens[:count], args.load, args.seconds, args.burst)
                )
                for figures in results:
                    sent += figures["messages_sent"]
                    print(json.dumps(figures))
        stored = manage(
            "shell",
            "-v",
            "0",
            "-c",
            "from chat.models import Message; print(Message.objects.count())",
            env=env,
        )
        print(
            json.dumps(
                {
                    "scenario": "correctness",
                    "messages_sent": sent,
                    "messages_stored": int(stored.strip()),
                    "exact": int(stored.strip()) == sent,
                }
            )
        )


if __name__ == "__main__":
    main()
