"""What the orders app does when an order's status changes (the live push, the count) and
when a guest's e-mail registers (its orders follow)."""

from django.dispatch import receiver
from django.utils import timezone

from accounts.signals import guest_adopted
from core.metrics import ORDER_STATUS_CHANGES
from core.moments import moment
from core.tasks import enqueue
from orders.live import order_status_publish
from orders.models import Order
from orders.signals import order_status_changed


@receiver(order_status_changed, dispatch_uid="orders-live-status")
def push_status(sender, order, from_status, to_status, **kwargs):
    tracking = None
    if order.tracking_code:
        tracking = {
            "carrier": order.carrier,
            "tracking_code": order.tracking_code,
            "tracking_url": order.tracking_url,
        }
    order_status_publish(
        order_id=order.pk,
        customer_id=order.customer_id,
        status=to_status,
        at=moment(timezone.now()),
        tracking=tracking,
    )


@receiver(order_status_changed, dispatch_uid="orders-shipped-email")
def tell_shipped(sender, order, from_status, to_status, **kwargs):
    if to_status == Order.Status.SHIPPED:
        from orders.tasks import send_shipped_email

        enqueue(send_shipped_email, order.pk)


@receiver(order_status_changed, dispatch_uid="orders-status-count")
def count_status(sender, order, from_status, to_status, **kwargs):
    ORDER_STATUS_CHANGES.labels(to_status).inc()


@receiver(guest_adopted, dispatch_uid="orders-follow-adopted-guest")
def adopt_orders(sender, guest, user, **kwargs):
    Order.objects.filter(customer=guest).update(customer=user)
