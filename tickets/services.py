from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext

from core.mail import send_once
from core.tasks import enqueue, sweep_window
from orders.models import Order
from tickets.models import Ticket


def ticket_issue(*, order: Order) -> Ticket:
    """Formalise a purchase: a ticket for the order; the e-mail goes out after the commit."""
    ticket = Ticket.objects.create(
        order=order, customer=order.customer, purchaser=order.customer.email, amount=order.total
    )
    from tickets.tasks import send_ticket_email

    enqueue(send_ticket_email, ticket.pk)
    return ticket


def ticket_email_send(*, ticket_id: int) -> bool:
    """Send the ticket e-mail once; return False when it was already sent."""
    return send_once(
        Ticket.objects.select_related("order", "customer"),
        ticket_id,
        stamp="emailed_at",
        message=_ticket_email,
        language=lambda ticket: ticket.customer.language,
    )


def ticket_emails_unsent_send() -> int:
    """Send the ticket e-mails whose task never ran (the broker was down); return how many."""
    unsent = Ticket.objects.filter(emailed_at=None, purchase_datetime__range=sweep_window())
    return sum(ticket_email_send(ticket_id=pk) for pk in unsent.values_list("pk", flat=True))


def _ticket_email(ticket: Ticket) -> EmailMessage:
    context = {"ticket": ticket, "lines": ticket.order.lines.all()}
    return EmailMessage(
        subject=gettext("Your purchase %(code)s") % {"code": ticket.code},
        body=render_to_string("tickets/ticket_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[ticket.purchaser],
    )
