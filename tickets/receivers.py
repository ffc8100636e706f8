"""What the tickets app does when an order's status changes (its admissions) and when a
guest's e-mail registers (its tickets follow)."""

from django.dispatch import receiver

from accounts.signals import guest_adopted
from orders.models import Order
from orders.signals import order_status_moving
from tickets.admissions import admissions_issue, admissions_void
from tickets.models import Ticket


@receiver(order_status_moving, dispatch_uid="tickets-admissions-follow-order")
def admissions_follow_order(sender, order, from_status, to_status, **kwargs):
    """In the status change's transaction: paid issues them, refunded voids them."""
    if to_status == Order.Status.PAID:
        admissions_issue(order=order)
    elif to_status == Order.Status.REFUNDED:
        admissions_void(order=order)


@receiver(guest_adopted, dispatch_uid="tickets-follow-adopted-guest")
def adopt_tickets(sender, guest, user, **kwargs):
    Ticket.objects.filter(customer=guest).update(customer=user)
