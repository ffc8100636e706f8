"""`WS /ws/chat/` through the project's ASGI application (auth stack, Origin check, routing)."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import AdminFactory, UserFactory
from accounts.tokens import token_pair_for
from chat.models import Message
from config.asgi import application
from testing.clients import handshake
from testing.concurrency import run_async

pytestmark = pytest.mark.django_db(transaction=True)


def path_for(user) -> str:
    return f"/ws/chat/?token={token_pair_for(user).access_token}"


async def joined(path: str):
    """A connected client (`path_for` its user), its history frame read."""
    ws = WebsocketCommunicator(application, path)
    connected, _ = await ws.connect()
    assert connected
    history = await ws.receive_json_from(timeout=2)
    assert history["type"] == "chat.history"
    return ws, history["messages"]


@pytest.mark.parametrize("query", ["", "?token=garbage"])
def test_an_unauthenticated_client_is_closed_with_4401(query):
    async def scenario():
        # From an allowed page (a foreign Origin is refused at the handshake already).
        origin = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
        ws = WebsocketCommunicator(application, f"/ws/chat/{query}", headers=origin)
        return await handshake(ws)

    assert run_async(scenario) == 4401


def test_history_is_the_last_50_oldest_first():
    author = UserFactory()
    start = timezone.now() - timedelta(hours=1)
    Message.objects.bulk_create(
        Message(
            user=author,
            email=author.email,
            message=f"m{i}",
            created_at=start + timedelta(seconds=i),
        )
        for i in range(60)
    )

    reader = path_for(UserFactory())

    async def scenario():
        ws, history = await joined(reader)
        await ws.disconnect()
        return history

    history = run_async(scenario)
    assert [m["message"] for m in history] == [f"m{i}" for i in range(10, 60)]
    assert set(history[0]) == {"type", "id", "user", "user_id", "message", "created_at"}
    assert (history[0]["user"], history[0]["user_id"]) == (author.display_name, author.pk)
    assert author.email not in str(history)


def test_a_message_reaches_every_connected_client_and_is_stored_first():
    maria, joao = UserFactory(), UserFactory()
    paths = [path_for(maria), path_for(joao)]

    async def scenario():
        (a, _), (b, _) = await joined(paths[0]), await joined(paths[1])
        await a.send_json_to({"type": "chat.send", "message": "  Olá, alguém aí?\n  "})
        received = [await a.receive_json_from(timeout=2), await b.receive_json_from(timeout=2)]
        await a.disconnect()
        await b.disconnect()
        return received

    to_maria, to_joao = run_async(scenario)
    assert to_maria == to_joao
    stored = Message.objects.get()
    assert to_joao == {
        "type": "chat.message",
        "id": stored.pk,
        "user": maria.display_name,
        "user_id": maria.pk,
        "message": "Olá, alguém aí?",
        "created_at": to_joao["created_at"],
    }
    assert (stored.email, stored.message) == (maria.email, "Olá, alguém aí?")


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ({"type": "chat.send", "message": "x" * 1001}, "invalid_message"),
        ({"type": "chat.send", "message": "   "}, "invalid_message"),
        ({"type": "chat.send", "message": "bell\x07"}, "invalid_message"),
        ({"type": "chat.send", "message": 42}, "invalid_message"),
        ({"type": "chat.send"}, "invalid_message"),
        ({"type": "chat.shout", "message": "hi"}, "bad_frame"),
        ({"type": "chat.send", "message": "\u202eevil.exe"}, "invalid_message"),  # bidi override
        ({"type": "chat.send", "message": "pa\u200bgue"}, "invalid_message"),  # zero-width space
        (["chat.send"], "bad_frame"),
        ("not json at all", "bad_frame"),
        ("[" * 50_000 + "]" * 50_000, "bad_frame"),  # nested past parsing
        (b"\x00\x01binary", "bad_frame"),
    ],
)
def test_a_refused_frame_gets_an_error_frame_and_the_connection_stays(frame, code):
    customer = path_for(UserFactory())

    async def scenario():
        ws, _ = await joined(customer)
        if isinstance(frame, str):
            await ws.send_to(text_data=frame)
        elif isinstance(frame, bytes):
            await ws.send_to(bytes_data=frame)
        else:
            await ws.send_json_to(frame)
        error = await ws.receive_json_from(timeout=2)
        await ws.send_json_to({"type": "chat.send", "message": "still here"})
        after = await ws.receive_json_from(timeout=2)
        await ws.disconnect()
        return error, after

    error, after = run_async(scenario)
    assert (error["type"], error["code"]) == ("error", code) and error["detail"]
    assert after["type"] == "chat.message" and after["message"] == "still here"
    assert list(Message.objects.values_list("message", flat=True)) == ["still here"]


def test_exactly_1000_characters_are_accepted():
    customer = path_for(UserFactory())

    async def scenario():
        ws, _ = await joined(customer)
        await ws.send_json_to({"type": "chat.send", "message": "é" * 1000})
        frame = await ws.receive_json_from(timeout=2)
        await ws.disconnect()
        return frame

    assert run_async(scenario)["message"] == "é" * 1000


def test_emoji_sequences_keep_their_joiners():
    customer = path_for(UserFactory())
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467 e \U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"

    async def scenario():
        ws, _ = await joined(customer)
        await ws.send_json_to({"type": "chat.send", "message": family})
        frame = await ws.receive_json_from(timeout=2)
        await ws.disconnect()
        return frame

    assert run_async(scenario)["message"] == family


def test_a_guest_neither_reads_nor_writes_the_chat():
    from rest_framework.test import APIClient

    guest = APIClient().post("/api/auth/guest", {"email": "kiosk@example.com"}, format="json")
    access = guest.json()["access"]

    async def scenario():
        ws = WebsocketCommunicator(application, f"/ws/chat/?token={access}")
        return await handshake(ws)

    assert run_async(scenario) == 4403
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    response = client.get("/api/chat/messages")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_a_socket_of_a_logged_out_session_is_closed_at_its_next_frame():
    """Logout ends the session, sockets opened before it included (audit M6)."""
    from rest_framework.test import APIClient

    from accounts.tokens import token_pair_for

    session = token_pair_for(UserFactory())

    async def scenario():
        ws, _ = await joined(f"/ws/chat/?token={session.access_token}")
        await ws.send_json_to({"type": "chat.send", "message": "before"})
        before = await ws.receive_json_from(timeout=2)
        logout = await database_sync_to_async(APIClient().post)(
            "/api/auth/logout", {"refresh": str(session)}, format="json"
        )
        await ws.send_json_to({"type": "chat.send", "message": "after"})
        closed = await ws.receive_output(timeout=2)
        return before, logout.status_code, closed

    before, status, closed = run_async(scenario)
    assert before["message"] == "before" and status == 204
    assert closed == {"type": "websocket.close", "code": 4401}
    assert list(Message.objects.values_list("message", flat=True)) == ["before"]


def test_an_admin_reads_but_cannot_send():
    admin = path_for(AdminFactory())

    async def scenario():
        ws, _ = await joined(admin)
        await ws.send_json_to({"type": "chat.send", "message": "from staff"})
        frame = await ws.receive_json_from(timeout=2)
        await ws.disconnect()
        return frame

    assert run_async(scenario)["code"] == "forbidden"
    assert not Message.objects.exists()


def test_too_many_messages_are_throttled_with_an_error_frame_not_a_dropped_connection(settings):
    settings.CHAT_RATE_MESSAGES, settings.CHAT_RATE_SECONDS = 3, 3600  # one window for the test
    customer = path_for(UserFactory())

    async def scenario():
        ws, _ = await joined(customer)
        frames = []
        for i in range(5):
            await ws.send_json_to({"type": "chat.send", "message": f"spam {i}"})
            frames.append(await ws.receive_json_from(timeout=2))
        await ws.disconnect()
        return frames

    frames = run_async(scenario)
    assert [f["type"] for f in frames] == ["chat.message"] * 3 + ["error"] * 2
    assert frames[-1]["code"] == "throttled"
    assert Message.objects.count() == 3


def test_a_failure_behind_the_consumer_is_an_error_frame_and_the_connection_stays(monkeypatch):
    customer = path_for(UserFactory())

    def database_down(**kwargs):
        raise ConnectionError("database down")

    monkeypatch.setattr("chat.services.message_post", database_down)

    async def scenario():
        ws, _ = await joined(customer)
        await ws.send_json_to({"type": "chat.send", "message": "anyone?"})
        frames = [await ws.receive_json_from(timeout=2)]
        await ws.send_json_to({"type": "chat.send", "message": "still?"})
        frames.append(await ws.receive_json_from(timeout=2))
        await ws.disconnect()
        return frames

    assert [f["code"] for f in run_async(scenario)] == ["unavailable", "unavailable"]


def test_a_message_has_one_created_at_over_http_and_over_the_socket():
    author = UserFactory()
    Message.objects.create(user=author, email=author.email, message="hi")
    client = APIClient()
    client.force_authenticate(author)
    answered = client.get("/api/chat/messages").json()["results"][0]["created_at"]
    path = path_for(author)  # not in the scenario: minting a token writes to the database

    async def scenario():
        ws, history = await joined(path)
        await ws.disconnect()
        return history[0]["created_at"]

    framed = run_async(scenario)
    assert framed == answered
    assert framed.endswith("-03:00")  # the shop's time zone, as every answer writes it


def test_other_customers_see_a_display_name_never_an_email():
    from rest_framework.test import APIClient

    author = UserFactory(first_name="Maria", last_name="Souza", email="maria@example.com")
    Message.objects.create(user=author, email=author.email, message="oi")
    reader = APIClient()
    reader.force_authenticate(UserFactory())
    body = reader.get("/api/chat/messages").json()
    assert body["results"][0]["user"] == "Maria S."
    assert "maria@example.com" not in str(body)
