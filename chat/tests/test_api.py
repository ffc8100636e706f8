"""`GET /api/chat/messages`, the chat page, and the moderators' admin."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from chat.errors import InvalidMessage
from chat.models import Message
from chat.services import clean_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    author = UserFactory()
    start = timezone.now() - timedelta(hours=1)
    return Message.objects.bulk_create(
        Message(
            user=author,
            email=author.email,
            message=f"m{i}",
            created_at=start + timedelta(seconds=i),
        )
        for i in range(7)
    )


def test_messages_page_newest_first_through_the_before_cursor(customer_client, history):
    first = customer_client.get("/api/chat/messages", {"page_size": 3}).json()
    assert [m["message"] for m in first["results"]] == ["m6", "m5", "m4"]
    assert (first["count"], first["previous"]) == (7, None)
    assert set(first["results"][0]) == {"id", "user", "user_id", "message", "created_at"}
    second = customer_client.get(first["next"]).json()
    assert [m["message"] for m in second["results"]] == ["m3", "m2", "m1"]
    last = customer_client.get(second["next"]).json()
    assert [m["message"] for m in last["results"]] == ["m0"] and last["next"] is None


def test_admins_read_the_history_and_visitors_are_401(admin_client, anon_client, history):
    assert admin_client.get("/api/chat/messages").json()["count"] == 7
    assert anon_client.get("/api/chat/messages").status_code == 401


@pytest.mark.parametrize(
    "params", [{"before": "abc"}, {"before": 0}, {"page_size": 101}, {"page_size": ""}]
)
def test_a_bad_cursor_is_400(customer_client, params):
    response = customer_client.get("/api/chat/messages", params)
    assert response.status_code == 400 and response.json()["code"]


@pytest.mark.parametrize(
    ("text", "clean"),
    [(" hi ", "hi"), ("two\r\nlines", "two\nlines"), ("a" * 1000, "a" * 1000), ("😀", "😀")],
)
def test_messages_are_trimmed_and_keep_their_newlines(text, clean):
    assert clean_message(text) == clean


@pytest.mark.parametrize(
    "text", ["", " \n ", "a" * 1001, "tab\there", "nul\x00", "esc\x1b[31m", None]
)
def test_empty_long_or_control_characters_are_refused(text):
    with pytest.raises(InvalidMessage):
        clean_message(text)


def test_the_chat_page_sends_visitors_to_the_session_login(client):
    response = client.get("/chat/")
    assert response.status_code == 302
    assert response["Location"].startswith("/api-auth/login/?next=/chat/")


def test_the_chat_page_offers_a_form_to_customers_only(client, customer, admin):
    client.force_login(customer)
    assert b'id="send"' in client.get("/chat/").content
    client.force_login(admin)
    page = client.get("/chat/").content
    assert b'id="send"' not in page and b'id="read-only"' in page


def test_moderators_search_and_delete_but_never_edit(admin, client, history):
    client.force_login(admin)
    found = client.get("/admin/chat/message/", {"q": "m3"})
    # The changelist's own results: the page's bytes hold random tokens that may read "m4".
    assert found.status_code == 200 and list(found.context["cl"].result_list) == [history[3]]
    assert client.get("/admin/chat/message/add/").status_code == 403
    change = client.get(f"/admin/chat/message/{history[0].pk}/change/")
    assert change.status_code == 200 and b'name="_save"' not in change.content  # view only
    client.post(
        "/admin/chat/message/",
        {"action": "delete_selected", "_selected_action": [history[0].pk], "post": "yes"},
    )
    assert not Message.objects.filter(pk=history[0].pk).exists()


def test_the_chat_page_offers_sending_to_the_same_people_as_the_service(client):
    from accounts.services import guest_create

    for user, may_send in [(UserFactory(), True), (guest_create(email="g@example.com"), False)]:
        client.force_login(user)
        assert ('id="send"' in client.get("/chat/").content.decode()) is may_send
