"""What follows an order's status change inside the orders app: the live push, the count."""

from django.dispatch import receiver
from django.utils import timezone

from config.metrics import ORDER_STATUS_CHANGES
from orders.live import order_status_publish
from orders.signals import order_status_changed


@receiver(order_status_changed, dispatch_uid="orders-live-status")
def push_status(sender, order, from_status, to_status, **kwargs):
    order_status_publish(
        order_id=order.pk,
        customer_id=order.customer_id,
        status=to_status,
        at=timezone.now().isoformat(),
    )


@receiver(order_status_changed, dispatch_uid="orders-status-count")
def count_status(sender, order, from_status, to_status, **kwargs):
    ORDER_STATUS_CHANGES.labels(to_status).inc()
