"""The account flows end to end, as a customer lives them: a real shop (uvicorn, the embedded
mode) mails through a real SMTP server on loopback (aiosmtpd), and the customer follows
the links it sent: register -> mail -> verify; forgot -> mail -> reset -> old token
refused; export; erase."""

import json
import re
import threading
import time
import urllib.error
import urllib.request

import pytest

from ops.servers import free_port

NEW_PASSWORD = "a-brand-new-passphrase-2027"
PASSWORD = "ana-end-to-end-passphrase"


class Mailbox:
    """What the shop handed to the SMTP server."""

    def __init__(self):
        self.messages: list[str] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd names it
        with self.arrived:
            self.messages.append(envelope.content.decode(errors="replace"))
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def link(self, page: str, timeout: float = 15) -> str:
        """The token of the newest link to /account/<page> (waits for its mail)."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                for message in reversed(self.messages):
                    found = re.search(rf"/account/{page}\?token=(\S+)", message)
                    if found:
                        return found.group(1)
                left = deadline - time.monotonic()
                assert left > 0, f"no mail with a link to /account/{page}"
                self.arrived.wait(left)


@pytest.fixture
def shop(migrated_sqlite_url):
    from aiosmtpd.controller import Controller

    from testing.shop import embedded_environment, serve

    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = embedded_environment(database_url=migrated_sqlite_url) | {
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "SHOP_URL": "http://shop.test",
    }
    try:
        with serve("uvicorn", env, workers=1) as web:
            yield f"http://127.0.0.1:{web}", mailbox
    finally:
        controller.stop()


def call(base, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{base}{path}", data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, json.loads(raw) if raw else None


def test_register_verify_forget_reset_export_and_erase_against_a_real_server(shop):
    base, mailbox = shop
    account = {"email": "ana@example.com", "password": PASSWORD, "first_name": "Ana"}
    status, user = call(base, "POST", "/api/auth/register", {**account, "last_name": "Lima"})
    assert status == 201 and user["email_verified"] is False

    status, tokens = call(
        base, "POST", "/api/auth/token", {"email": account["email"], "password": PASSWORD}
    )
    old = tokens["access"]
    verifying = {"token": mailbox.link("verify-email")}
    status, user = call(base, "POST", "/api/auth/verify-email", verifying, old)
    assert status == 200 and user["email_verified"] is True
    assert "http://shop.test/account/verify-email?token=" in mailbox.messages[0]
    assert call(base, "POST", "/api/auth/password-reset", {"email": "ana@example.com"})[0] == 202
    reset = {"token": mailbox.link("password-reset"), "password": NEW_PASSWORD}
    assert call(base, "POST", "/api/auth/password-reset/confirm", reset)[0] == 204
    assert call(base, "GET", "/api/sessions/current", token=old)[0] == 401
    assert (
        call(base, "POST", "/api/auth/password-reset/confirm", reset)[1]["code"] == "link_invalid"
    )

    status, tokens = call(
        base, "POST", "/api/auth/token", {"email": account["email"], "password": NEW_PASSWORD}
    )
    assert status == 200
    status, data = call(base, "GET", "/api/sessions/current/data", token=tokens["access"])
    assert status == 200 and data["profile"]["email"] == "ana@example.com"
    assert {m["kind"] for m in data["account_mails"]} >= {"verify_email", "password_reset"}

    wrong = call(base, "DELETE", "/api/sessions/current", {"password": "guess"}, tokens["access"])
    assert wrong[1]["code"] == "wrong_password"
    erased = call(
        base, "DELETE", "/api/sessions/current", {"password": NEW_PASSWORD}, tokens["access"]
    )
    assert erased[0] == 204
    login = call(
        base, "POST", "/api/auth/token", {"email": account["email"], "password": NEW_PASSWORD}
    )
    assert login[0] == 401
