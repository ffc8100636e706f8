from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.permissions import IsAdmin, IsCustomer
from core.exceptions import ErrorSerializer
from delivery.serializers import ShippingOptionSerializer
from orders import checkout, selectors, services
from orders.filters import OrderFilter
from orders.models import Order
from orders.serializers import (
    OrderCouponRequestSerializer,
    OrderSerializer,
    OrderShippingRequestSerializer,
    OrderStatusSerializer,
)


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
        data = serializer.validated_data
        order = services.order_set_status(
            order=self.get_object(),
            to=data["status"],
            by=request.user,
            carrier=data.get("carrier", ""),
            tracking_code=data.get("tracking_code", ""),
        )
        return self._answer(order)

    @extend_schema(
        parameters=[OpenApiParameter("address_id", int, required=False)],
        responses={200: ShippingOptionSerializer(many=True), 404: ErrorSerializer},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="shipping-options",
        permission_classes=[IsAuthenticated, IsCustomer],
        pagination_class=None,
    )
    def shipping_options(self, request, pk=None):
        """The methods that can take this order to an address (`address_id`, else the one
        chosen, else the default one; pickup only with none), each at its price for it."""
        order = self.get_object()
        query = OrderShippingRequestSerializer(data=request.query_params, partial=True)
        query.is_valid(raise_exception=True)
        options = checkout.order_shipping_options(
            order=order, customer=request.user, address_id=query.validated_data.get("address_id")
        )
        return Response(ShippingOptionSerializer(options, many=True).data)

    @extend_schema(
        request=OrderShippingRequestSerializer,
        responses={
            200: OrderSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
        },
    )
    @action(detail=True, methods=["put"], permission_classes=[IsAuthenticated, IsCustomer])
    def shipping(self, request, pk=None):
        """Choose how an order awaiting payment travels; its total follows (409 while a
        payment is under way)."""
        serializer = OrderShippingRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = checkout.order_set_shipping(
            order=self.get_object(), customer=request.user, **serializer.validated_data
        )
        return self._answer(order)

    @extend_schema(
        request=OrderCouponRequestSerializer,
        responses={200: OrderSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
    )
    @action(detail=True, methods=["put"], permission_classes=[IsAuthenticated, IsCustomer])
    def coupon(self, request, pk=None):
        """Apply, change or (empty code) remove the coupon of an order awaiting payment."""
        serializer = OrderCouponRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = checkout.order_set_coupon(
            order=self.get_object(), code=serializer.validated_data["code"]
        )
        return self._answer(order)
