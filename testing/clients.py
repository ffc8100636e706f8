import asyncio
import json

from rest_framework.test import APIClient

from accounts.tokens import token_pair_for


async def handshake(ws, timeout: float = 2) -> int | str:
    """How a WebSocket handshake (a Channels WebsocketCommunicator) ended: the close code of
    a socket accepted and closed at once (a refusal, which every client can read), "denied"
    for one denied before it was accepted (an HTTP 403 under uvicorn), or "open"."""
    connected, _ = await ws.connect(timeout=timeout)
    if not connected:
        return "denied"
    try:
        message = await ws.receive_output(timeout=0.5)
    except TimeoutError:
        message = {}
    if message.get("type") == "websocket.close":
        return message["code"]
    await ws.disconnect()
    return "open"


def client_for(user=None) -> APIClient:
    """An API client that authenticates with a real Bearer token for the user, as issued by
    POST /api/auth/token."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_for(user).access_token}")
    return client


async def asgi_post(
    app, path: str, *, bearer: str | None = None, address: str = "10.0.0.1", headers=()
) -> tuple[int, dict, dict[bytes, bytes]]:
    """POST an empty body to an ASGI `app` as uvicorn would; (status, JSON body, headers)."""
    raw = [(b"host", b"localhost"), *headers]
    if bearer:
        raw.append((b"authorization", f"Bearer {bearer}".encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "query_string": b"",
        "root_path": "",
        "headers": raw,
        "client": (address, 5000),
        "server": ("localhost", 80),
    }
    sent, received = [], []

    async def receive():
        if received:  # the body was read: the client stays connected until the answer
            await asyncio.Event().wait()
        received.append(True)
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    headers = {name.lower(): value for name, value in sent[0]["headers"]}  # names as sent
    return sent[0]["status"], json.loads(body), headers
