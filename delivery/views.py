from dataclasses import asdict

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsAdmin, IsAdminOrReadOnly, is_admin
from core.exceptions import ErrorSerializer
from core.throttles import ScopedThrottle
from delivery import services
from delivery.cep import cep_lookup
from delivery.models import Address, Coupon, ShippingMethod
from delivery.serializers import (
    AddressSerializer,
    CepAddressSerializer,
    CouponSerializer,
    ShippingMethodSerializer,
)


@extend_schema_view(create=extend_schema(responses={201: AddressSerializer, 409: ErrorSerializer}))
class AddressViewSet(viewsets.ModelViewSet):
    """A customer's address book (guests' too): at most 10 addresses, one of them the
    default. Everyone sees and changes only their own; another's is a 404."""

    serializer_class = AddressSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        if not user.is_authenticated:  # the schema's generation asks without a user
            return Address.objects.none()
        return Address.objects.filter(customer=user)

    def perform_create(self, serializer):
        serializer.instance = services.address_create(
            customer=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.address_update(
            address=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.address_delete(address=instance)


class CepView(APIView):
    """The address of a CEP, to fill in an address form (404 unknown, 503 when the lookup is
    unavailable: the customer types the address instead)."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "cep"

    @extend_schema(
        responses={
            200: CepAddressSerializer,
            404: ErrorSerializer,
            503: ErrorSerializer,
        }
    )
    def get(self, request, cep: str):
        digits = services.normalize_cep(cep)
        return Response(CepAddressSerializer(asdict(cep_lookup(digits))).data)


@extend_schema_view(destroy=extend_schema(responses={204: None, 409: ErrorSerializer}))
class ShippingMethodViewSet(viewsets.ModelViewSet):
    """Shipping methods: customers read the active ones, administrators manage them all. A
    method orders were shipped by cannot be deleted (409): deactivate it."""

    serializer_class = ShippingMethodSerializer
    permission_classes = [IsAdminOrReadOnly]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        methods = ShippingMethod.objects.all()
        return methods if is_admin(self.request.user) else methods.filter(is_active=True)

    def perform_create(self, serializer):
        serializer.instance = services.shipping_method_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.shipping_method_update(
            method=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.shipping_method_delete(method=instance)


@extend_schema_view(destroy=extend_schema(responses={204: None, 409: ErrorSerializer}))
class CouponViewSet(viewsets.ModelViewSet):
    """Coupons, for administrators: `uses` counts the orders holding each; a coupon orders
    carry cannot be deleted (409): deactivate it. The code never changes."""

    serializer_class = CouponSerializer
    permission_classes = [IsAdmin]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return Coupon.objects.all()

    def get_object(self):
        self.kwargs["code"] = services.coupon_normalize(self.kwargs["code"])
        return super().get_object()

    def perform_create(self, serializer):
        serializer.instance = services.coupon_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.coupon_update(
            coupon=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.coupon_delete(coupon=instance)
