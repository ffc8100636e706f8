from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import ErrorSerializer
from core.throttles import ScopedThrottle
from delivery import services
from delivery.cep import cep_lookup
from delivery.models import Address
from delivery.serializers import AddressSerializer, CepAddressSerializer


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
            400: ErrorSerializer,
            404: ErrorSerializer,
            503: ErrorSerializer,
        }
    )
    def get(self, request, cep: str):
        digits = services.normalize_cep(cep)
        return Response(CepAddressSerializer(asdict(cep_lookup(digits))).data)
