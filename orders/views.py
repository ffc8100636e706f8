from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.permissions import IsAdmin, IsCustomer
from core.exceptions import ErrorSerializer
from orders import selectors, services
from orders.filters import OrderFilter
from orders.models import Order
from orders.serializers import OrderSerializer, OrderStatusSerializer


class OrderViewSet(viewsets.ReadOnlyModelViewSet):
    """A customer's orders (administrators see all), with lines and status timeline."""

    serializer_class = OrderSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = [DjangoFilterBackend]
    filterset_class = OrderFilter

    def get_queryset(self):
        return selectors.order_detail_queryset(user=self.request.user)

    def _answer(self, order: Order) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=order.pk)).data)

    @extend_schema(request=None, responses={200: OrderSerializer, 409: ErrorSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, IsCustomer])
    def cancel(self, request, pk=None):
        """Give up an order still awaiting payment; its stock goes back (409 otherwise)."""
        order = services.order_cancel(order=self.get_object(), by=request.user)
        return self._answer(order)

    @extend_schema(
        request=OrderStatusSerializer, responses={200: OrderSerializer, 409: ErrorSerializer}
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, IsAdmin])
    def status(self, request, pk=None):
        """Administrators move an order along its fulfilment; only legal steps (409 otherwise)."""
        serializer = OrderStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = self.get_object()
        order = services.order_set_status(
            order=order, to=serializer.validated_data["status"], by=request.user
        )
        return self._answer(order)
