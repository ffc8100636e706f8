"""A bare ASGI hello, the ceiling an ASGI server reaches on this machine (for ratios)."""

BODY = b'{"hello": "world"}'


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": BODY})
