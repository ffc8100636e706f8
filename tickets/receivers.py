"""What follows an order's status change inside the tickets app: its admissions."""

from django.dispatch import receiver

from orders.models import Order
from orders.signals import order_status_moving
from tickets.admissions import admissions_issue, admissions_void


@receiver(order_status_moving, dispatch_uid="tickets-admissions-follow-order")
def admissions_follow_order(sender, order, from_status, to_status, **kwargs):
    """In the status change's transaction: paid issues them, refunded voids them."""
    if to_status == Order.Status.PAID:
        admissions_issue(order=order)
    elif to_status == Order.Status.REFUNDED:
        admissions_void(order=order)
