"""The chat and home pages in a real browser (Playwright + Debian's Chromium) against
uvicorn in the embedded mode."""

import pytest

from accounts.tests.factories import PASSWORD

INJECTION = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def shop(sqlite_template, tmp_path_factory):
    """One embedded shop for the module's tests: each writes only what it then reads."""
    from testing.shop import call, embedded_environment, serve, sqlite_copy

    database = sqlite_copy(sqlite_template, tmp_path_factory.mktemp("chat") / "shop.sqlite3")
    env = embedded_environment(database_url=database)
    call(
        "customer_tokens", env=env, emails=["ana@example.com", "bia@example.com"], password=PASSWORD
    )
    with serve("uvicorn", env, workers=1) as port:
        yield f"http://127.0.0.1:{port}"


def chat_as(browser, base, email, problems):
    """A customer who opens the chat, is sent to the login form, signs in and comes back."""
    page = browser.new_context().new_page()
    page.on("dialog", lambda dialog: problems.append(f"dialog: {dialog.message}"))
    page.on("console", lambda m: problems.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{base}/chat/")
    page.wait_for_url("**/api-auth/login/**")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/chat/")
    page.wait_for_selector("#state:text('live')")
    return page


def send(page, text):
    page.fill("#message", text)
    page.click("#send button")


@pytest.mark.browser
def test_two_customers_see_each_other_live_and_a_script_stays_text(browser, shop):
    problems = []
    ana = chat_as(browser, shop, "ana@example.com", problems)
    bia = chat_as(browser, shop, "bia@example.com", problems)

    send(ana, "Oi, Bia!")
    bia.wait_for_selector("#messages li:has-text('Oi, Bia!')", timeout=3000)
    send(bia, INJECTION)
    ana.wait_for_selector("#messages li >> nth=1", timeout=3000)
    for page in (ana, bia):
        last = page.locator("#messages li").nth(1)
        assert last.locator(".text").inner_text() == INJECTION
        who = last.locator(".who").inner_text()
        assert who.startswith("Customer ") and "@" not in who  # a display name, no e-mail
        assert ("mine" in (last.get_attribute("class") or "")) == (page is bia)
        assert page.locator("#messages img").count() == 0
    # A newcomer gets both as history, in order.
    carla = browser.new_context()
    page = carla.new_page()
    page.goto(f"{shop}/api-auth/login/?next=/chat/")
    page.fill("#id_username", "ana@example.com")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#messages li >> nth=1")
    assert page.locator("#messages .text").all_inner_texts() == ["Oi, Bia!", INJECTION]
    assert problems == []


@pytest.mark.browser
def test_the_home_page_links_work(browser, shop):
    page = browser.new_context().new_page()
    page.goto(f"{shop}/")
    assert "maria@shop.localhost" in page.inner_text("#demo-logins")  # the embedded mode
    page.click("#docs")
    page.wait_for_selector("#swagger-ui")
    page.goto(f"{shop}/")
    page.click("#admin")
    page.wait_for_url("**/admin/login/**")
    page.goto(f"{shop}/")
    page.click("#chat")
    page.wait_for_url("**/api-auth/login/?next=/chat/")
