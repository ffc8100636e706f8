"""Benchmark purchases: N customers, each with one unit in the cart, buy S units of one product.

    python -m bench.purchase_bench [--postgres] [--customers 2000] [--stock 1500] [--concurrency 32]

Served by gunicorn (2 sync workers). Prints throughput, p50/p99 and the correctness counters:
exactly min(N, S) purchases succeed, the rest get 409, stock ends at S - sold, one order per sale.
"""

import argparse
import json

from bench import httpload
from bench.server import bench_environment, manage, serve

SETUP = """
from accounts.models import User
from carts.models import Cart, CartItem
from catalog.models import Category, Product
from rest_framework_simplejwt.tokens import AccessToken
category = Category.objects.create(name="Bench", slug="bench")
product = Product.objects.create(name="Bench phone", slug="bench-phone", sku="BENCH", price="1.00",
                                 stock={stock}, category=category)
users = User.objects.bulk_create(User(email=f"c{{i}}@bench.local") for i in range({customers}))
users = list(User.objects.filter(email__endswith="@bench.local").order_by("id"))
carts = Cart.objects.bulk_create(Cart(customer=u) for u in users)
carts = list(Cart.objects.filter(customer__in=users).order_by("customer_id"))
CartItem.objects.bulk_create(CartItem(cart=c, product=product, quantity=1) for c in carts)
print(json.dumps({{"product": product.pk, "buyers": [[str(AccessToken.for_user(u)), c.pk] for u, c in zip(users, carts)]}}))
"""

CHECK = """
from catalog.models import Product
from orders.models import Order
from tickets.models import Ticket
print(json.dumps({"stock": Product.objects.get(sku="BENCH").stock, "orders": Order.objects.count(),
                  "tickets": Ticket.objects.count()}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--stock", type=int, default=1500)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()

    database = "postgresql" if args.postgres else "sqlite"
    with bench_environment(args.postgres, EMAIL_URL="dummymail://") as env:
        setup = json.loads(
            manage(
                "shell",
                "-v",
                "0",
                "-c",
                "import json\n" + SETUP.format(stock=args.stock, customers=args.customers),
                env=env,
            )
        )
        buyers = iter(setup["buyers"])

        def next_request():
            token, cart_id = next(buyers)
            return httpload.Request(
                "POST", f"/api/carts/{cart_id}/purchase", {"Authorization": f"Bearer {token}"}
            )

        with serve("gunicorn", env) as port:
            result = httpload.run(
                f"gunicorn POST purchase ({database})", port, next_request,
                concurrency=args.concurrency, duration=120, max_requests=args.customers,
            )  # fmt: skip
        check = json.loads(manage("shell", "-v", "0", "-c", "import json\n" + CHECK, env=env))
        sold = result.statuses.get(201, 0)
        expected = min(args.customers, args.stock)
        summary = result.summary() | {
            "sold": sold, "expected_sold": expected, "stock_left": check["stock"],
            "orders": check["orders"], "tickets": check["tickets"],
            "correct": sold == expected == check["orders"] == check["tickets"]
            and check["stock"] == args.stock - sold and result.statuses.get(409, 0) == args.customers - sold,
        }  # fmt: skip
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
