from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.permissions import IsCustomerOrReadOnly
from carts import errors, selectors, services
from carts.models import Cart
from carts.serializers import (
    CartItemAddSerializer,
    CartItemSetSerializer,
    CartSerializer,
    PurchaseRequestSerializer,
    PurchaseSerializer,
)
from core.exceptions import ErrorSerializer
from core.ids import parse_database_id
from idempotency.services import IDEMPOTENCY_KEY_PARAMETER, idempotent_response
from orders.checkout import Checkout


class CartViewSet(viewsets.GenericViewSet):
    """The customer's cart. Another customer's cart is a 404; administrators may only read."""

    serializer_class = CartSerializer
    permission_classes = [IsAuthenticated, IsCustomerOrReadOnly]

    def get_queryset(self):
        return selectors.cart_list(user=self.request.user)

    def _cart_response(self, cart, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=cart.pk)
        return Response(CartSerializer(fresh).data, status=status_code)

    def retrieve(self, request, pk=None):
        return Response(CartSerializer(self.get_object()).data)

    @extend_schema(
        methods=["POST"],
        request=CartItemAddSerializer,
        responses={201: CartSerializer, 200: CartSerializer},
    )
    @extend_schema(
        methods=["DELETE"], request=None, responses={204: None}, operation_id="carts_items_clear"
    )
    @action(detail=True, methods=["post", "delete"], url_path="items")
    def items(self, request, pk=None):
        """POST adds a line (or increases it); DELETE empties the cart."""
        cart = self.get_object()
        if request.method == "DELETE":
            services.cart_clear(cart=cart)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = CartItemAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _, created = services.cart_item_add(cart=cart, **serializer.validated_data)
        return self._cart_response(cart, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(methods=["PATCH"], request=CartItemSetSerializer, responses=CartSerializer)
    @extend_schema(
        methods=["DELETE"], request=None, responses={204: None}, operation_id="carts_item_remove"
    )
    @action(detail=True, methods=["patch", "delete"], url_path=r"items/(?P<product_id>\d+)")
    def item(self, request, pk=None, product_id=None):
        """PATCH sets a line's quantity; DELETE removes the line."""
        cart = self.get_object()
        product_id = parse_database_id(product_id)
        if product_id is None:
            raise errors.ItemNotInCart()
        if request.method == "DELETE":
            services.cart_item_remove(cart=cart, product_id=product_id)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = CartItemSetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.cart_item_set(cart=cart, product_id=product_id, **serializer.validated_data)
        return self._cart_response(cart)

    @extend_schema(
        request=PurchaseRequestSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={
            201: PurchaseSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def purchase(self, request, pk=None):
        """Buy what the stock allows, optionally with an address, a shipping method and a
        coupon; send an Idempotency-Key header to retry safely."""
        # Ownership is checked by the purchase's own lock on the cart: no read beforehand.
        cart = Cart(pk=parse_database_id(pk or "") or 0)
        body = PurchaseRequestSerializer(data=request.data or {})
        body.is_valid(raise_exception=True)
        chosen = Checkout(**body.validated_data)

        def run():
            result = services.cart_purchase(cart=cart, customer=request.user, checkout=chosen)
            return Response(PurchaseSerializer(result).data, status=status.HTTP_201_CREATED)

        return idempotent_response(request, self, run)
