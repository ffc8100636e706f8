"""Ways tests pay: through the API, as a customer's app and the sandbox would."""

from datetime import date

APPROVES = "4242 4242 4242 4242"
DECLINES = "4000 0000 0000 0002"
INSUFFICIENT_FUNDS = "4000 0000 0000 9995"
NEEDS_3DS = "4000 0027 6000 3184"


def card_token(client, number=APPROVES) -> str:
    response = client.post(
        "/api/payments/sandbox/card-tokens",
        {
            "number": number,
            "holder_name": "Maria Silva",
            "exp_month": 12,
            "exp_year": date.today().year + 2,
            "cvv": "123",
        },
    )
    assert response.status_code == 201, response.content
    return response.json()["token"]


def pay(client, order, method="pix", **extra):
    return client.post(f"/api/orders/{order.pk}/payments", {"method": method, **extra})
