"""What follows an order's changes inside the payments app: the confirmation e-mail after
payment, and no change of the total while a payment is under way."""

from django.dispatch import receiver

from core.tasks import enqueue
from orders.models import Order
from orders.signals import order_repricing, order_status_changed
from payments.errors import PaymentInProgress
from payments.models import Payment

# A payment that may still charge the amount it was created with.
UNDER_WAY = (Payment.Status.PENDING, Payment.Status.FAILED)


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


@receiver(order_repricing, dispatch_uid="payments-no-repricing-while-paying")
def refuse_while_paying(sender, order, **kwargs):
    if Payment.objects.filter(order_id=order.pk, status__in=UNDER_WAY).exists():
        raise PaymentInProgress()
