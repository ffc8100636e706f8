"""The chat across processes: two uvicorn servers with production settings, one Redis
channel layer and one database; a message sent to one process reaches a client connected
to the other (as it must between replicas or workers)."""

import json

from testing.shop import call, production_environment, serve


def test_a_message_sent_through_one_process_reaches_a_client_of_the_other(
    server_database_url, redis_server
):
    from websockets.sync.client import connect

    env = production_environment(
        database_url=server_database_url, redis_url=redis_server.url, migrate=False
    )
    emails = ["ana@example.com", "bia@example.com"]
    ana, bia = call("customer_tokens", env=env, emails=emails).values()
    with (
        serve("uvicorn", env, workers=1) as first,
        serve("uvicorn", env, workers=1) as second,
        connect(f"ws://127.0.0.1:{first}/ws/chat/?token={ana}", open_timeout=10) as sender,
        connect(f"ws://127.0.0.1:{second}/ws/chat/?token={bia}", open_timeout=10) as reader,
    ):
        assert json.loads(sender.recv(timeout=5))["type"] == "chat.history"
        assert json.loads(reader.recv(timeout=5))["type"] == "chat.history"
        sender.send(json.dumps({"type": "chat.send", "message": "from process one"}))
        received = json.loads(reader.recv(timeout=5))
        echoed = json.loads(sender.recv(timeout=5))
    assert received == echoed
    assert (received["type"], received["user"]) == (
        "chat.message",
        f"Customer {received['user_id']}",
    )
    assert "ana@example.com" not in json.dumps(received)  # no customer sees another's e-mail
    assert received["message"] == "from process one"
