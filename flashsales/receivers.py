"""What follows an order's status change inside the flashsales app: the claim follows it."""

from django.dispatch import receiver

from flashsales import gate
from flashsales.live import sale_changed_publish
from flashsales.services import claim_follow_order
from flashsales.signals import flash_sale_changed
from orders.models import Order
from orders.signals import order_status_moving


@receiver(order_status_moving, dispatch_uid="flashsales-claim-follows-order")
def follow_order(sender, order, from_status, to_status, **kwargs):
    if order.source == Order.Source.FLASH_SALE:
        claim_follow_order(order=order, to_status=to_status)


@receiver(flash_sale_changed, dispatch_uid="flashsales-gate-relearns")
def relearn_gate(sender, sale_id, reason, **kwargs):
    """Units came back or the plan changed: the gate reloads the sale from the database."""
    if reason in ("plan", "returned", "closed"):
        gate.invalidate(sale_id=sale_id)


@receiver(flash_sale_changed, dispatch_uid="flashsales-live-figures")
def push_figures(sender, sale_id, **kwargs):
    sale_changed_publish(sale_id=sale_id)
