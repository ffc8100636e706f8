from django.db.models import QuerySet

from accounts.permissions import is_admin
from tickets.models import Admission, Ticket


def ticket_list(*, user) -> QuerySet[Ticket]:
    """A customer's own tickets; every ticket for an administrator."""
    tickets = Ticket.objects.prefetch_related("order__lines")
    if is_admin(user):
        return tickets
    return tickets.filter(customer=user) if user.is_authenticated else tickets.none()


def admission_list(*, user) -> QuerySet[Admission]:
    """A customer's own admissions (those of their orders); all of them for an administrator."""
    admissions = Admission.objects.all()
    if is_admin(user):
        return admissions
    return admissions.filter(order__customer=user) if user.is_authenticated else admissions.none()
