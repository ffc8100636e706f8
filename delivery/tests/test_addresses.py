"""The address book: validated (CEP, UF, phone), own only, at most 10, one default."""

import pytest

from accounts.tests.factories import UserFactory
from delivery.models import Address
from testing.clients import client_for

pytestmark = pytest.mark.django_db
PAULISTA = {
    "recipient_name": "Maria Souza",
    "cep": "01310-100",
    "street": "Avenida Paulista",
    "number": "1578",
    "complement": "ap. 12",
    "district": "Bela Vista",
    "city": "São Paulo",
    "state": "SP",
    "phone": "(11) 98765-4321",
}


def add(client, **changes):
    return client.post("/api/addresses", {**PAULISTA, **changes}, format="json")


def test_an_address_is_stored_normalised_and_the_first_is_the_default():
    client = client_for(UserFactory())
    answer = add(client)
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["cep"], body["phone"], body["is_default"]) == ("01310100", "+5511987654321", True)
    second = add(client, cep="20040002", state="RJ", city="Rio de Janeiro").json()
    assert second["is_default"] is False
    assert client.get("/api/addresses").json()["results"][0]["id"] == body["id"]


def test_choosing_another_default_and_deleting_the_default_keeps_exactly_one():
    client = client_for(UserFactory())
    first, second = add(client).json(), add(client, number="1").json()
    assert client.patch(f"/api/addresses/{second['id']}", {"is_default": True}).status_code == 200
    assert Address.objects.get(pk=first["id"]).is_default is False
    assert client.delete(f"/api/addresses/{second['id']}").status_code == 204
    assert Address.objects.get(pk=first["id"]).is_default is True


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"cep": "1310-100"}, "cep", "invalid_cep"),
        ({"cep": "\uff10\uff11\uff13\uff11\uff10\uff11\uff10\uff10"}, "cep", "invalid_cep"),
        ({"state": "XX"}, "state", "invalid_choice"),
        ({"street": ""}, "street", "blank"),
        ({"phone": "123"}, "phone", "invalid_phone"),
    ],
)
def test_bad_input_is_a_400_and_stores_nothing(changes, field, code):
    answer = add(client_for(UserFactory()), **changes)
    assert answer.status_code == 400 and field in answer.json()["errors"], answer.json()
    assert answer.json()["code"] == code
    assert not Address.objects.exists()


def test_another_customers_address_is_a_404_and_stays_as_it_was():
    mine = add(client_for(UserFactory())).json()
    stranger = client_for(UserFactory())
    assert stranger.get(f"/api/addresses/{mine['id']}").status_code == 404
    assert stranger.patch(f"/api/addresses/{mine['id']}", {"city": "X"}).status_code == 404
    assert stranger.delete(f"/api/addresses/{mine['id']}").status_code == 404
    assert Address.objects.get(pk=mine["id"]).city == "São Paulo"


def test_an_address_book_holds_ten():
    client = client_for(UserFactory())
    for i in range(10):
        assert add(client, number=str(i)).status_code == 201
    eleventh = add(client, number="11")
    assert (eleventh.status_code, eleventh.json()["code"]) == (409, "address_limit")
    assert Address.objects.count() == 10


def test_guests_keep_an_address_book_too():
    from accounts.tests.test_guests import as_guest

    guest, _ = as_guest("kiosk@example.com")
    assert add(guest).status_code == 201
    assert guest.get("/api/addresses").json()["count"] == 1
