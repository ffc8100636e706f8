"""Demo events for `manage.py seed_demo`: two upcoming shows at the casino, through the
catalog services (an event is a product with an event part; its stock is the capacity)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from catalog.models import Category, Product
from catalog.services import category_create, product_create

# (SKU, name, price, seats left, days from now at 21:00, venue)
EVENTS = [
    ("SHOW-SAMBA", "Samba de Gafieira: Noite de Gala", "180.00", 400, 10, "Salão Principal"),
    ("SHOW-JAZZ", "Jazz no Cassino (almost sold out)", "240.00", 3, 3, "Sala Vip"),
]


def seed() -> list[str]:
    category = Category.objects.filter(slug="shows").first() or category_create(
        name="Shows", slug="shows"
    )
    created = 0
    for sku, name, price, seats, days, venue in EVENTS:
        if Product.objects.filter(sku=sku).exists():
            continue
        day = timezone.localtime() + timedelta(days=days)
        starts = day.replace(hour=21, minute=0, second=0, microsecond=0)
        product_create(
            name=name,
            sku=sku,
            price=Decimal(price),
            stock=seats,
            category=category,
            description=f"{name}, {venue}. One admission per seat, checked in at the door.",
            event={"starts_at": starts, "ends_at": starts + timedelta(hours=3), "venue": venue},
        )
        created += 1
    return [
        f"events    {len(EVENTS)} upcoming shows ({created} new): GET /api/products?is_event=true"
    ]
