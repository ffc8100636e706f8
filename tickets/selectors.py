from django.db.models import QuerySet

from accounts.permissions import is_admin
from tickets.models import Ticket


def ticket_list(*, user) -> QuerySet[Ticket]:
    """A customer's own tickets; every ticket for an administrator."""
    tickets = Ticket.objects.prefetch_related("order__lines")
    if is_admin(user):
        return tickets
    return tickets.filter(customer=user) if user.is_authenticated else tickets.none()
