"""What follows an order's status change inside the payments app: the confirmation e-mail."""

from django.dispatch import receiver

from core.tasks import enqueue
from orders.models import Order
from orders.signals import order_status_changed
from payments.models import Payment


@receiver(order_status_changed, dispatch_uid="payments-confirmation-email")
def confirm_payment(sender, order, from_status, to_status, **kwargs):
    if to_status != Order.Status.PAID:
        return
    payment = (
        Payment.objects.filter(order_id=order.pk, status=Payment.Status.APPROVED, refund_due=False)
        .values_list("pk", flat=True)
        .first()
    )
    if payment is not None:
        from payments.tasks import send_payment_confirmation

        enqueue(send_payment_confirmation, payment)
