"""The flash-sale page in a real browser (Playwright + Debian's Chromium) against uvicorn in
the embedded mode: the remaining count drops live when another customer claims."""

import pytest

from accounts.tests.factories import PASSWORD


@pytest.fixture
def shop(migrated_sqlite_url):
    from testing.shop import call, embedded_environment, serve

    env = embedded_environment(database_url=migrated_sqlite_url)
    emails = ["ana@example.com", "bia@example.com"]
    sale = call("flash_sale", env=env, units=10, drops=2, emails=emails, password=PASSWORD)["sale"]
    with serve("uvicorn", env, workers=1) as port:
        yield f"http://127.0.0.1:{port}", sale


def signed_in(browser, base, email):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/api-auth/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/api/sessions/current")
    return page


@pytest.mark.browser
def test_the_remaining_count_drops_live_when_another_customer_claims(browser, shop):
    base, sale = shop
    anonymous = browser.new_context().new_page()
    knocks = []
    anonymous.on("websocket", lambda socket: knocks.append(socket.url))
    anonymous.goto(f"{base}/flash-sales/{sale}")
    assert anonymous.inner_text("#remaining") == "10"
    assert anonymous.locator("#login").is_visible()

    watcher = signed_in(browser, base, "ana@example.com")
    buyer = signed_in(browser, base, "bia@example.com")
    violations = []
    for page in (watcher, buyer):
        page.on(
            "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
        )
        page.goto(f"{base}/flash-sales/{sale}")
    watcher.wait_for_timeout(500)  # its socket is open
    assert watcher.inner_text("#remaining") == "10"

    buyer.click("#claim")
    buyer.wait_for_selector("text=You hold one unit")
    watcher.wait_for_function(
        "document.getElementById('remaining').textContent === '9'", timeout=3000
    )
    assert watcher.inner_text("#status") == "open"
    assert watcher.inner_text("#countdown") != "-"

    buyer.click("#claim")
    buyer.wait_for_selector("text=You already hold your unit for this drop.")
    buyer.click("#pay")
    buyer.wait_for_selector("#pix:not([hidden])")
    assert buyer.input_value("#copy-paste").startswith("000201")
    # The QR code is an <img> of the SVG: drawn only if the SVG carries its namespace.
    buyer.wait_for_function("document.getElementById('qr').complete")
    assert buyer.evaluate("document.getElementById('qr').naturalWidth") > 0
    assert violations == []
    # Sockets take signed-in users only: the visitor's page polls the API instead of
    # knocking at one that would close on it (4401).
    assert knocks == []
    # A refused socket tells the browser why, under uvicorn too (accepted, then closed with
    # the code: a close before accepting would be an HTTP 403, seen as 1006), so the page
    # stops knocking at a sale that is gone or a sign-in that ended.
    closed_with = """path => new Promise(done => {
        const socket = new WebSocket(`ws://${location.host}${path}`);
        socket.onclose = event => done(event.code);
    })"""
    assert watcher.evaluate(closed_with, "/ws/flash-sales/999999/") == 4404
    assert anonymous.evaluate(closed_with, f"/ws/flash-sales/{sale}/") == 4401
