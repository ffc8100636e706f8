"""What the tickets app does when an order's status changes (its admissions), when its total
changes (the ticket's amount) and when a guest's e-mail registers (its tickets follow)."""

from django.dispatch import receiver

from accounts.signals import guest_adopted
from core.locks import lock
from orders.models import Order
from orders.signals import order_repriced, order_repricing, order_status_moving
from tickets.admissions import admissions_issue, admissions_void
from tickets.models import Ticket


@receiver(order_status_moving, dispatch_uid="tickets-admissions-follow-order")
def admissions_follow_order(sender, order, from_status, to_status, **kwargs):
    """In the status change's transaction: paid issues them, refunded voids them."""
    if to_status == Order.Status.PAID:
        admissions_issue(order=order)
    elif to_status == Order.Status.REFUNDED:
        admissions_void(order=order)


@receiver(order_repricing, dispatch_uid="tickets-lock-before-repricing")
def lock_ticket(sender, order, **kwargs):
    """Taken before the coupon's lock (core.locks.LOCK_ORDER): the ticket's e-mail holds this
    row while it is sent, and a popular coupon must not wait on that."""
    list(lock(Ticket.objects.filter(order=order)).values_list("pk", flat=True))


@receiver(order_repriced, dispatch_uid="tickets-amount-follows-order")
def amount_follows_order(sender, order, **kwargs):
    """The ticket states what the order costs: its shipping and coupon included."""
    Ticket.objects.filter(order=order).update(amount=order.total)


@receiver(guest_adopted, dispatch_uid="tickets-follow-adopted-guest")
def adopt_tickets(sender, guest, user, **kwargs):
    Ticket.objects.filter(customer=guest).update(customer=user)
