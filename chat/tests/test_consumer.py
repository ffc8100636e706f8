"""`WS /ws/chat/` through the project's ASGI application (auth stack, Origin check, routing)."""

from datetime import timedelta

import pytest
from channels.testing import WebsocketCommunicator
from django.utils import timezone
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.tests.factories import AdminFactory, UserFactory
from chat.models import Message
from config.asgi import application
from config.testing.concurrency import run_async

pytestmark = pytest.mark.django_db(transaction=True)


def path_for(user) -> str:
    return f"/ws/chat/?token={RefreshToken.for_user(user).access_token}"


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
        origin = [(b"origin", b"http://localhost")]
        ws = WebsocketCommunicator(application, f"/ws/chat/{query}", headers=origin)
        connected, code = await ws.connect()
        await ws.disconnect()
        return connected, code

    assert run_async(scenario) == (False, 4401)


def test_history_is_the_last_50_oldest_first():
    author = UserFactory()
    start = timezone.now() - timedelta(hours=1)
    Message.objects.bulk_create(
        Message(user=author, email=author.email, message=f"m{i}", created_at=start + timedelta(seconds=i))
        for i in range(60)
    )  # fmt: skip

    reader = path_for(UserFactory())

    async def scenario():
        ws, history = await joined(reader)
        await ws.disconnect()
        return history

    history = run_async(scenario)
    assert [m["message"] for m in history] == [f"m{i}" for i in range(10, 60)]
    assert set(history[0]) == {"type", "id", "user", "message", "created_at"}
    assert history[0]["user"] == author.email


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
        "type": "chat.message", "id": stored.pk, "user": maria.email,
        "message": "Olá, alguém aí?", "created_at": to_joao["created_at"],
    }  # fmt: skip
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
        (["chat.send"], "bad_frame"),
        ("not json at all", "bad_frame"),
    ],
)
def test_a_refused_frame_gets_an_error_frame_and_the_connection_stays(frame, code):
    customer = path_for(UserFactory())

    async def scenario():
        ws, _ = await joined(customer)
        if isinstance(frame, str):
            await ws.send_to(text_data=frame)
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
