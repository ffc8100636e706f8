from rest_framework import viewsets

from delivery import services
from delivery.models import Address
from delivery.serializers import AddressSerializer


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
