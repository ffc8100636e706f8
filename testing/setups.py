"""Data set-ups and read-backs for a shop started as its own process.

Each function runs inside that shop (`testing.shop.call`: `manage.py shell` with the shop's
environment) and returns what the test needs as JSON. Real code, so lint and the type
checker read it, and it mints tokens the way the shop does (`token_pair_for`: with the role
claim the lean claim handler reads).
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from accounts.services import user_create
from accounts.tokens import token_pair_for
from carts.services import cart_get_for_customer, cart_item_add
from catalog.models import Category, Product
from delivery.models import ShippingMethod
from testing.purchases import purchase

PASSWORD = "a-strong-passphrase"


def access_token(user: User) -> str:
    return str(token_pair_for(user).access_token)


def product(*, sku: str, name: str, price: str, stock: int, category: str = "Shop") -> Product:
    """A product on sale now, in a category of that name."""
    shelf, _ = Category.objects.get_or_create(slug=category.lower(), defaults={"name": category})
    return Product.objects.create(
        name=name, slug=sku.lower(), sku=sku, price=price, stock=stock, category=shelf
    )


def customer_tokens(*, emails: list[str], password: str = PASSWORD) -> dict[str, str]:
    """Customers with these e-mails and password: {e-mail: access token}."""
    return {email: access_token(user_create(email=email, password=password)) for email in emails}


def flash_sale(
    *,
    units: int,
    customers: int = 0,
    drops: int = 1,
    stock: int | None = None,
    emails: tuple[str, ...] = (),
    password: str = PASSWORD,
) -> dict:
    """A sale of `drops` drops of `units` phones, open since a minute ago, `customers`
    customers to rush it, and customers with these e-mails and password:
    {"sale": id, "tokens": [access token, ...], "customers": {e-mail: access token}}."""
    from flashsales.services import flash_sale_create

    phone = product(
        sku="PHONE", name="Phone", price="5000.00", stock=stock or units * drops, category="Phones"
    )
    sale = flash_sale_create(
        product=phone,
        units_per_drop=units,
        drops=drops,
        first_drop_at=timezone.now() - timedelta(minutes=1),
    )
    User.objects.bulk_create(User(email=f"r{i}@rush.local") for i in range(customers))
    # Claims ship like any order: a pickup needs no address.
    ShippingMethod.objects.get_or_create(name="Store pickup", defaults={"kind": "pickup"})
    rushers = User.objects.filter(email__endswith="@rush.local").order_by("id")
    return {
        "sale": sale.pk,
        "tokens": [access_token(user) for user in rushers],
        "customers": customer_tokens(emails=list(emails), password=password),
    }


def flash_sale_figures(*, reconcile: bool = False) -> dict:
    """The one sale's units as the database, the gate and the stock count them."""
    import redis

    from flashsales import gate
    from flashsales.models import Claim, FlashSale
    from orders.models import Order

    if reconcile:
        gate.reconcile()
    sale = FlashSale.objects.get()
    taken = redis.Redis.from_url(settings.REDIS_URL).hget(gate.sale_key(sale.pk), "taken")
    return {
        "taken": sale.units_taken,
        "claims": Claim.objects.count(),
        "customers": Claim.objects.values("customer").distinct().count(),
        "orders": Order.objects.filter(source=Order.Source.FLASH_SALE).count(),
        "gate": int(taken) if taken is not None else None,
        "stock": Product.objects.get(pk=sale.product_id).stock,
    }


def flash_sale_figures_around_expiry() -> dict:
    """The figures (gate reconciled), then again once every unpaid claim's hold ran out."""
    from orders.models import Order
    from orders.services import orders_expire

    during = flash_sale_figures(reconcile=True)
    Order.objects.filter(status=Order.Status.PENDING_PAYMENT).update(expires_at=timezone.now())
    orders_expire()
    return {"during": during, "after": flash_sale_figures(reconcile=True)}


def carts_ready(*, customers: int, stock: int) -> list[list]:
    """`customers` customers, each with one console in the cart, `stock` consoles in stock:
    [[cart id, access token], ...]."""
    console = product(
        sku="CONSOLE", name="Console", price="3999.00", stock=stock, category="Consoles"
    )
    ready = []
    for i in range(customers):
        # No password: hashing one costs the production hasher a third of a second.
        user = User.objects.create_user(email=f"buyer{i}@example.com")
        cart = cart_get_for_customer(customer=user)
        cart_item_add(cart=cart, product_id=console.pk, quantity=1)
        ready.append([cart.pk, access_token(user)])
    return ready


def consoles_sold() -> dict:
    """Where every console went: stock, order lines, orders and their tickets."""
    from orders.models import Order, OrderLine
    from tickets.models import Ticket

    console = Product.objects.get(sku="CONSOLE")
    sold = OrderLine.objects.filter(product=console).aggregate(n=Sum("quantity"))["n"]
    return {
        "stock": console.stock,
        "sold": sold or 0,
        "orders": sorted(Order.objects.values_list("id", flat=True)),
        "tickets": Ticket.objects.count(),
        "ticket_orders": Ticket.objects.values("order").distinct().count(),
    }


def orders_placed(
    *, email: str, count: int = 1, sku: str = "RADIO", price: str = "10.00", stock: int = 5
) -> dict:
    """A customer with `count` orders of one unit each, awaiting payment:
    {"orders": [id, ...], "order": the first, "token": access token}."""
    item = product(sku=sku, name=sku.title(), price=price, stock=stock)
    customer = user_create(email=email, password=PASSWORD)
    orders = [purchase(customer, (item, 1)).order.pk for _ in range(count)]
    return {"orders": orders, "order": orders[0], "token": access_token(customer)}


def pix_approved(*, email: str) -> dict:
    """An order paid by Pix at the sandbox, whose webhook is still to be delivered:
    {"order", "token", "signature", "body"}."""
    from orders.models import Order
    from payments.models import SandboxCharge
    from payments.providers import sandbox
    from payments.services import payment_start

    placed = orders_placed(email=email)
    order = Order.objects.select_related("customer").get(pk=placed["order"])
    payment = payment_start(order=order, customer=order.customer, method="pix")
    charges = SandboxCharge.objects.filter(charge_id=payment.provider_payment_id)
    charges.update(status="approved")
    headers, body = sandbox.notification(payment.provider_payment_id)
    return {**placed, "signature": headers["X-Signature"], "body": body.decode()}


def tickets_emailed() -> list[str]:
    """When each ticket's e-mail went out ("None": not yet)."""
    from tickets.models import Ticket

    return [str(ticket.emailed_at) for ticket in Ticket.objects.all()]


def order_paid(*, order: int) -> None:
    """The order becomes paid, as a webhook's worker would make it, in this process."""
    from orders.models import Order
    from orders.services import order_transition

    order_transition(order=Order.objects.get(pk=order), to=Order.Status.PAID)


def flash_sale_sold() -> list[int]:
    """[units taken, claims, flash-sale orders, distinct claiming customers] of the one sale."""
    from flashsales.models import Claim, FlashSale
    from orders.models import Order

    sale = FlashSale.objects.get()
    return [
        sale.units_taken,
        Claim.objects.count(),
        Order.objects.filter(source=Order.Source.FLASH_SALE).count(),
        Claim.objects.values("customer").distinct().count(),
    ]


def rush_and_regulars(*, units: int, rushers: int) -> dict:
    """A flash sale and its rushers, and beside them a case on sale and two customers, Ana
    and Bia: {"sale", "rushers": [token, ...], "case": product id, "ana", "bia": tokens}."""
    sale = flash_sale(units=units, customers=rushers)
    case = product(sku="CASE", name="Case", price="50.00", stock=10)
    regulars = customer_tokens(emails=["ana@example.com", "bia@example.com"])
    return {
        "sale": sale["sale"],
        "rushers": sale["tokens"],
        "case": case.pk,
        "ana": regulars["ana@example.com"],
        "bia": regulars["bia@example.com"],
    }
