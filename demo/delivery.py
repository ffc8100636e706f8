"""Shipping methods (PAC, SEDEX, store pickup), a Black Friday coupon, and an address for
each demo customer."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from delivery.models import Address, Coupon, ShippingMethod
from delivery.services import address_create, coupon_create, shipping_method_create

METHODS = [
    {
        "name": "PAC",
        "price": Decimal("19.90"),
        "free_above": Decimal("299.00"),
        "min_days": 5,
        "max_days": 10,
    },
    {
        "name": "SEDEX",
        "price": Decimal("39.90"),
        "min_days": 1,
        "max_days": 3,
        "states": ["SP", "RJ", "MG", "ES", "PR", "SC", "RS"],
    },
    {"name": "Retirada na loja (São Paulo)", "kind": "pickup", "price": Decimal("0.00")},
]
ADDRESSES = {
    "maria@shop.localhost": {
        "recipient_name": "Maria Souza",
        "cep": "01310100",
        "street": "Avenida Paulista",
        "number": "1578",
        "district": "Bela Vista",
        "city": "São Paulo",
        "state": "SP",
    },
    "joao@shop.localhost": {
        "recipient_name": "João Lima",
        "cep": "20040020",
        "street": "Rua da Assembleia",
        "number": "10",
        "complement": "sala 501",
        "district": "Centro",
        "city": "Rio de Janeiro",
        "state": "RJ",
    },
}


def seed() -> list[str]:
    for fields in METHODS:
        if not ShippingMethod.objects.filter(name=fields["name"]).exists():
            shipping_method_create(**fields)
    if not Coupon.objects.filter(code="BLACKFRIDAY10").exists():
        coupon_create(
            code="BLACKFRIDAY10",
            kind="percent",
            value=Decimal("10"),
            min_subtotal=Decimal("100.00"),
            ends_at=timezone.now() + timedelta(days=30),
            max_uses=500,
            max_uses_per_customer=1,
        )
    for email, fields in ADDRESSES.items():
        customer = User.objects.filter(email=email).first()
        if customer is not None and not Address.objects.filter(customer=customer).exists():
            address_create(customer=customer, **fields)
    return [
        "shipping  " + ", ".join(ShippingMethod.objects.values_list("name", flat=True)),
        "coupon    BLACKFRIDAY10 (10% off from R$ 100, once per customer)",
    ]
