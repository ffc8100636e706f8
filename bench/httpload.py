"""A closed-loop HTTP/1.1 load generator over real loopback sockets.

Each of `concurrency` keep-alive connections sends its next request as soon as the previous
answer is read, until `duration` seconds or `max_requests` in all, whichever comes first.
Written on asyncio so one process drives a few thousand requests a second.
"""

import asyncio
import json
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def encode(self, host: str) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body

    @classmethod
    def json(cls, method: str, path: str, payload: dict, headers: dict | None = None) -> "Request":
        headers = {"Content-Type": "application/json", **(headers or {})}
        return cls(method, path, headers, json.dumps(payload).encode())


@dataclass
class Result:
    label: str
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: int = 0
    finished: list[float] = field(default_factory=list)  # perf_counter at each answer
    started: float = 0.0

    def summary(self) -> dict:
        lat = sorted(self.latencies)

        def pct(p: float) -> float:
            return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")

        return {
            "label": self.label,
            "requests": len(lat),
            "rps": round(len(lat) / self.elapsed, 1) if self.elapsed else 0.0,
            "p50_ms": round(pct(0.50), 2),
            "p99_ms": round(pct(0.99), 2),
            "max_ms": round(lat[-1] * 1000, 2) if lat else float("nan"),
            "mean_ms": round(statistics.fmean(lat) * 1000, 2) if lat else float("nan"),
            "statuses": dict(sorted(self.statuses.items())),
            "errors": self.errors,
        }


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("server closed the connection")
    status = int(status_line.split()[1])
    length, chunked, close = 0, False, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "connection" and value == "close":
            close = True
    if not chunked:
        return status, await reader.readexactly(length), close
    body = b""
    while size := int((await reader.readline()).strip(), 16):
        body += await reader.readexactly(size)
        await reader.readline()
    await reader.readline()
    return status, body, close


async def _connection(host, port, next_request, deadline, budget, result, on_response):
    reader = writer = None
    while time.monotonic() < deadline and budget[0] > 0:
        budget[0] -= 1
        request = next_request()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            started = time.perf_counter()
            writer.write(request.encode(f"{host}:{port}"))
            await writer.drain()
            status, body, close = await _read_response(reader)
            done = time.perf_counter()
            result.latencies.append(done - started)
            result.finished.append(done)
            result.statuses[status] += 1
            if on_response:
                on_response(status, body)
            if close:
                writer.close()
                writer = None
        except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError):
            result.errors += 1
            if writer is not None:
                writer.close()
            writer = None
            await asyncio.sleep(0.01)
    if writer is not None:
        writer.close()


def run(
    label: str,
    port: int,
    next_request: Callable[[], Request],
    *,
    concurrency: int = 32,
    duration: float = 5.0,
    max_requests: int = 1_000_000,
    host: str = "127.0.0.1",
    on_response: Callable[[int, bytes], None] | None = None,
) -> Result:
    """Drive the server on host:port and return what was measured."""
    assert host.startswith("127.") or host in ("localhost", "::1"), "loopback only"
    result = Result(label)
    budget = [max_requests]

    async def main():
        deadline = time.monotonic() + duration
        started = result.started = time.perf_counter()
        await asyncio.gather(
            *(
                _connection(host, port, next_request, deadline, budget, result, on_response)
                for _ in range(concurrency)
            )
        )
        result.elapsed = time.perf_counter() - started

    asyncio.run(main())
    return result
