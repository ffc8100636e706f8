from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import User
from accounts.permissions import visible_to
from tickets.models import Admission, Ticket


def ticket_list(*, user: User | AnonymousUser) -> QuerySet[Ticket]:
    """A customer's own tickets; every ticket for an administrator."""
    return visible_to(Ticket.objects.prefetch_related("order__lines"), user=user)


def admission_list(*, user: User | AnonymousUser) -> QuerySet[Admission]:
    """A customer's own admissions (those of their orders); all of them for an administrator."""
    return visible_to(Admission.objects.all(), user=user, owner="order__customer")
