from rest_framework import viewsets

from tickets import selectors
from tickets.serializers import TicketSerializer


class TicketViewSet(viewsets.ReadOnlyModelViewSet):
    """A customer's tickets by code (administrators see all); another's ticket is a 404."""

    serializer_class = TicketSerializer
    lookup_field = "code"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.ticket_list(user=self.request.user)
