"""The "shipped" notice: the carrier, the tracking code and its link, sent once per order."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext

from core.mail import send_once
from core.tasks import sweep_window
from orders.models import Order


def shipped_email_send(*, order_id: int) -> bool:
    """E-mail the customer that the order shipped, once; False if already sent."""
    return send_once(
        Order.objects.select_related("customer", "shipping_method"),
        order_id,
        stamp="shipped_emailed_at",
        message=_shipped_email,
        language=lambda order: order.customer.language,
    )


def shipped_emails_unsent_send() -> int:
    """Send the notices whose task never ran (the broker was down); return how many."""
    unsent = Order.objects.filter(
        status=Order.Status.SHIPPED, shipped_emailed_at=None, updated_at__range=sweep_window()
    ).values_list("pk", flat=True)
    return sum(shipped_email_send(order_id=pk) for pk in unsent)


def _shipped_email(order: Order) -> EmailMessage | None:
    if order.status != Order.Status.SHIPPED:
        return None  # delivered meanwhile: the news is stale
    context = {"order": order, "lines": order.lines.all()}
    return EmailMessage(
        subject=gettext("Your order #%(number)s has shipped") % {"number": order.pk},
        body=render_to_string("orders/shipped_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[order.customer.email],
    )
