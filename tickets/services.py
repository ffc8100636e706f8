from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from config.tasks import enqueue
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
    ticket = Ticket.objects.select_related("order").get(pk=ticket_id)
    if ticket.emailed_at is not None:
        return False
    context = {"ticket": ticket, "lines": ticket.order.lines.all()}
    send_mail(
        subject=f"Your purchase {ticket.code}",
        message=render_to_string("tickets/ticket_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[ticket.purchaser],
    )
    Ticket.objects.filter(pk=ticket.pk).update(emailed_at=timezone.now())
    return True
