"""`/metrics`: the business counters (core/metrics.py), django-prometheus's request and
query counters, and the flash-sale gate's state read at scrape time.

`/metrics` answers the internal network (a private or loopback address that did not come
through a proxy: Prometheus scraping a pod or a process directly) or a caller presenting
METRICS_TOKEN as a Bearer token; anyone else gets a 404.
"""

import hmac
import ipaddress
import os

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client import REGISTRY as DEFAULT_REGISTRY
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from flashsales import gate


class GateCollector:
    """Every running flash sale's units, from the database and from the gate in Redis, read
    at scrape time (a gate that disagrees with the database for long is a fault)."""

    def describe(self):
        return []  # nothing to read when registered

    def collect(self):
        if not settings.REDIS_URL:
            return
        families = {
            name: GaugeMetricFamily(f"shop_flash_sale_{name}", help_, labels=["sale"])
            for name, help_ in (
                ("units_released", "Units released so far (database)."),
                ("units_taken", "Units held or sold (database)."),
                ("gate_taken", "Units the admission gate counts as taken (Redis)."),
            )
        }
        for sale_id, state in gate.states().items():
            families["units_released"].add_metric([str(sale_id)], state["released"])
            families["units_taken"].add_metric([str(sale_id)], state["taken"])
            if state["gate_taken"] is not None:
                families["gate_taken"].add_metric([str(sale_id)], state["gate_taken"])
        yield from families.values()


GATE = GateCollector()
DEFAULT_REGISTRY.register(GATE)


def _registry() -> CollectorRegistry:
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return DEFAULT_REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    registry.register(GATE)
    return registry


def _internal(request) -> bool:
    if "HTTP_X_FORWARDED_FOR" in request.META:
        return False  # came through a proxy: from outside, whatever the proxy's address
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return address.is_private or address.is_loopback


def _token_ok(request) -> bool:
    token = settings.METRICS_TOKEN
    given = request.META.get("HTTP_AUTHORIZATION", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@require_GET
def metrics(request):
    if not (_token_ok(request) or _internal(request)):
        raise Http404
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
