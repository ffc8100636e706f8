from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets

from orders import selectors
from orders.filters import OrderFilter
from orders.serializers import OrderSerializer


class OrderViewSet(viewsets.ReadOnlyModelViewSet):
    """A customer's orders (administrators see all), with lines and status timeline."""

    serializer_class = OrderSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = OrderFilter

    def get_queryset(self):
        return selectors.order_detail_queryset(user=self.request.user)
