"""The benchmarks' data, written inside the shop under test (`testing.shop.call`): real code,
read by lint, minting tokens as the shop does (with the role claim)."""

import json
from datetime import timedelta

from django.db.models import Count, Sum
from django.utils import timezone

from accounts.models import User
from accounts.tokens import access_token_for
from catalog.models import Category, Product


def _bench_category() -> Category:
    return Category.objects.get_or_create(slug="bench", defaults={"name": "Bench"})[0]


def _new_users(prefix: str, count: int) -> list[User]:
    User.objects.bulk_create(User(email=f"{prefix}{i}@bench.local") for i in range(count))
    chosen = User.objects.filter(email__startswith=prefix, email__endswith="@bench.local")
    return list(chosen.order_by("id"))


def purchase_carts(*, stock: int, customers: int, folder: str) -> dict[str, str]:
    """For each scenario (one hot product, the same with an Idempotency-Key, 200 products,
    200 products bought with an address, a shipping method and the one coupon everyone
    uses), `customers` carts of one unit, and a file of "token cart [key|-] [body]" lines
    for wrk's Lua: {scenario: path}."""
    from carts.models import Cart, CartItem
    from delivery.models import Address, Coupon, ShippingMethod

    category = _bench_category()
    hot = Product.objects.create(
        name="Hot", slug="hot", sku="HOT", price="10.00", stock=stock, category=category
    )
    spread = Product.objects.bulk_create(
        Product(
            name=f"P{i}",
            slug=f"p{i}",
            sku=f"P{i:04d}",
            price="10.00",
            stock=1000,
            category=category,
        )
        for i in range(200)
    )
    pac = ShippingMethod.objects.create(name="PAC", price="19.90", min_days=5, max_days=10)
    Coupon.objects.create(code="BENCH10", kind="percent", value=10, max_uses=customers)
    files = {}
    for scenario in ("hot", "hot_key", "spread", "checkout"):
        users = _new_users(scenario, customers)
        Cart.objects.bulk_create(Cart(customer=user) for user in users)
        carts = {cart.customer_id: cart for cart in Cart.objects.filter(customer__in=users)}
        CartItem.objects.bulk_create(
            CartItem(
                cart=carts[user.pk],
                product=spread[i % 200] if scenario in ("spread", "checkout") else hot,
                quantity=1,
            )
            for i, user in enumerate(users)
        )
        addresses = {}
        if scenario == "checkout":
            Address.objects.bulk_create(
                Address(
                    customer=user,
                    recipient_name="Bench",
                    cep="01310100",
                    street="Avenida Paulista",
                    number="1000",
                    district="Bela Vista",
                    city="São Paulo",
                    state="SP",
                    is_default=True,
                )
                for user in users
            )
            addresses = dict(
                Address.objects.filter(customer__in=users).values_list("customer_id", "pk")
            )
        lines = []
        for i, user in enumerate(users):
            key = f" k{i}" if scenario == "hot_key" else ""
            if scenario == "checkout":
                body = {"address_id": addresses[user.pk], "shipping_method_id": pac.pk}
                key = " - " + json.dumps({**body, "coupon": "BENCH10"}, separators=(",", ":"))
            lines.append(f"{access_token_for(user)} {carts[user.pk].pk}{key}")
        path = f"{folder}/{scenario}.txt"
        with open(path, "w") as out:
            out.write("\n".join(lines) + "\n")
        files[scenario] = path
    return files


def purchases_made() -> dict:
    """Where the purchases' units went: stock left, units sold, orders and tickets."""
    from delivery.models import Coupon
    from orders.models import Order, OrderLine
    from tickets.models import Ticket

    def units(lines) -> int:
        return lines.aggregate(s=Sum("quantity"))["s"] or 0

    return {
        "hot_stock": Product.objects.get(sku="HOT").stock,
        "hot_sold": units(OrderLine.objects.filter(product__sku="HOT")),
        "spread_stock": Product.objects.filter(sku__startswith="P").aggregate(s=Sum("stock"))["s"],
        "units_sold": units(OrderLine.objects.all()),
        "orders": Order.objects.count(),
        "tickets": Ticket.objects.count(),
        "coupon_uses": Coupon.objects.get(code="BENCH10").uses,
        "orders_with_coupon": Order.objects.filter(coupon__code="BENCH10").count(),
    }


def approved_pix_notifications(*, payments: int, duplicates: int) -> list[list[str]]:
    """`payments` orders paid by Pix at the sandbox, and their notifications to deliver: the
    first `duplicates` times, then a second notification of the same approval:
    [[signature, body], ...]."""
    from carts.models import Cart, CartItem
    from carts.services import cart_purchase
    from payments.models import SandboxCharge
    from payments.providers import sandbox
    from payments.services import payment_start
    from testing.purchases import free_delivery

    radio = Product.objects.create(
        name="Bench radio",
        slug="bench-radio",
        sku="BENCH",
        price="10.00",
        stock=payments,
        category=_bench_category(),
    )
    users = _new_users("p", payments)
    Cart.objects.bulk_create(Cart(customer=user) for user in users)
    deliveries = []
    for user in users:
        cart = Cart.objects.get(customer=user)
        CartItem.objects.create(cart=cart, product=radio, quantity=1)
        order = cart_purchase(cart=cart, checkout=free_delivery(user)).order
        payment = payment_start(order=order, customer=user, method="pix")
        charges = SandboxCharge.objects.filter(charge_id=payment.provider_payment_id)
        charges.update(status="approved")
        first = sandbox.notification(payment.provider_payment_id)
        second = sandbox.notification(payment.provider_payment_id)
        deliveries += [first] * duplicates + [second]
    return [[headers["X-Signature"], body.decode()] for headers, body in deliveries]


def webhooks_applied() -> dict:
    """What the notifications did: orders paid once, approvals, refunds, events recorded."""
    from orders.models import Order, OrderEvent
    from payments.models import Payment, WebhookEvent

    refunds = Payment.objects.filter(refund_due=True).count()
    return {
        "orders_paid": Order.objects.filter(status=Order.Status.PAID).count(),
        "paid_events": OrderEvent.objects.filter(to_status=Order.Status.PAID).count(),
        "payments_approved": Payment.objects.filter(status=Payment.Status.APPROVED).count(),
        "refunds": refunds + Payment.objects.filter(status=Payment.Status.REFUNDED).count(),
        "events_recorded": WebhookEvent.objects.count(),
    }


def rush_sales(*, units: int, customers: int, tokens_file: str) -> dict:
    """Two sales of one drop of `units` iPhones each, open since a minute ago (one for the
    rush, one for the plot), and `customers` customers whose access tokens go, one a line,
    to `tokens_file`: {"sales": [rush, plot]}."""
    from flashsales.services import flash_sale_create

    category, sales = _bench_category(), []
    for sku in ("RUSH", "PLOT"):
        phone = Product.objects.create(
            name=f"iPhone {sku}",
            slug=sku.lower(),
            sku=sku,
            price="7299.00",
            stock=units,
            category=category,
        )
        sale = flash_sale_create(
            product=phone,
            units_per_drop=units,
            drops=1,
            first_drop_at=timezone.now() - timedelta(minutes=1),
        )
        sales.append(sale.pk)
    User.objects.bulk_create(User(email=f"c{i}@rush.local") for i in range(customers))
    rushers = User.objects.filter(email__endswith="@rush.local").order_by("id")
    with open(tokens_file, "w") as out:
        out.write("\n".join(str(access_token_for(user)) for user in rushers) + "\n")
    return {"sales": sales}


def rush_sold(*, sale: int) -> dict:
    """A rush's outcome: units held, claims, their orders, the most one customer got, stock."""
    from flashsales.models import Claim, FlashSale
    from orders.models import Order

    rushed = FlashSale.objects.get(pk=sale)
    claims = Claim.objects.filter(sale=rushed)
    per_customer = claims.values("customer").annotate(n=Count("id"))
    return {
        "units_held": rushed.units_taken,
        "claims": claims.count(),
        "orders": Order.objects.filter(flash_sale_claim__sale=rushed).count(),
        "max_per_customer": max((row["n"] for row in per_customer), default=0),
        "stock": Product.objects.get(pk=rushed.product_id).stock,
        "in_sale": rushed.units_total - rushed.units_taken,
    }
