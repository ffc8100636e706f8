"""Benchmark anonymous catalog reads against the minimal Django view, in one run.

    python -m bench.catalog_bench [--products 200] [--connections 64] [--seconds 5]

PostgreSQL + Redis, gunicorn with 2 sync workers, production settings; wrk 4.1 (C) as the
load generator, the same for every figure. Scenarios: the minimal Django JSON view
(GET /health/live), the product list page (page of 20) with the cache warm, the same with
the cache off (CATALOG_CACHE_SECONDS=0, a second server), and a product's detail (warm).
For each: requests/s, p50/p99, the ratio to the minimal view, CPU per request of the
server and of the database (from /proc), and the database queries the uncached answer
makes (counted in-process with Django's test client on the same data).
"""

import argparse
import json

from bench.server import bench_environment, manage, measured, serve

SETUP = """
import json
from catalog.models import Category, Product
categories = [Category.objects.create(name=f"Category {{i}}", slug=f"category-{{i}}") for i in range(8)]
Product.objects.bulk_create(
    Product(name=f"Product {{i:04d}}", slug=f"product-{{i:04d}}", sku=f"SKU-{{i:05d}}",
            price="199.90", stock=50, description="A product " * 20,
            category=categories[i % len(categories)])
    for i in range({products})
)
print(json.dumps({{"product": Product.objects.order_by("id").first().pk}}))
"""

QUERIES = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client, counts = Client(), {{}}
for name, path in {paths!r}.items():
    with CaptureQueriesContext(connection) as queries:
        client.get(path, HTTP_HOST="127.0.0.1")
    counts[name] = len(queries)
print(json.dumps(counts))
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args()

    with bench_environment(True) as env:
        setup = SETUP.format(products=args.products)
        product = json.loads(manage("shell", "-v", "0", "-c", "import json\n" + setup, env=env))
        paths = {
            "minimal_view": "/health/live",
            "product_list": "/api/products?page=1",
            "product_detail": f"/api/products/{product['product']}",
        }
        cold_env = {**env, "CATALOG_CACHE_SECONDS": "0"}
        queries = json.loads(
            manage("shell", "-v", "0", "-c", QUERIES.format(paths=paths), env=cold_env)
        )
        db, n, c = env["DATABASE_URL"], args.seconds, args.connections
        report = {}
        with serve("gunicorn", env) as port:
            report["minimal_view"] = measured(
                port, db, f"http://127.0.0.1:{port}{paths['minimal_view']}", "get.lua", n, c
            )
            report["product_list_warm"] = measured(
                port, db, f"http://127.0.0.1:{port}{paths['product_list']}", "get.lua", n, c
            )
            report["product_detail_warm"] = measured(
                port, db, f"http://127.0.0.1:{port}{paths['product_detail']}", "get.lua", n, c
            )
        with serve("gunicorn", cold_env) as port:
            report["product_list_cold"] = measured(
                port, db, f"http://127.0.0.1:{port}{paths['product_list']}", "get.lua", n, c
            )
            report["product_detail_cold"] = measured(
                port, db, f"http://127.0.0.1:{port}{paths['product_detail']}", "get.lua", n, c
            )
    base = report["minimal_view"]["rps"]
    for name, figures in report.items():
        kind = name.rsplit("_", 1)[0] if name != "minimal_view" else name
        figures["ratio_to_minimal_view"] = round(figures["rps"] / base, 3)
        figures["queries_uncached"] = queries.get(kind, 0)
        print(json.dumps({"scenario": name, **figures}))


if __name__ == "__main__":
    main()
