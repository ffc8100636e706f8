import math

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.permissions import IsAdminOrReadOnly, IsRegisteredCustomer
from core.addresses import request_client_address
from core.exceptions import ApplicationError, ErrorSerializer, NotFound
from core.ids import get_by_id_or_404, parse_database_id
from core.metrics import count_claim
from core.throttles import AddressThrottle, CustomerThrottle
from flashsales import errors, selectors, services
from flashsales.serializers import ClaimCreatedSerializer, ClaimSerializer, FlashSaleSerializer


@extend_schema_view(
    update=extend_schema(responses={200: FlashSaleSerializer, 409: ErrorSerializer}),
    partial_update=extend_schema(responses={200: FlashSaleSerializer, 409: ErrorSerializer}),
    destroy=extend_schema(responses={204: None, 409: ErrorSerializer}),
)
class FlashSaleViewSet(viewsets.ModelViewSet):
    """Flash sales with their live figures; administrators create, change and delete them."""

    serializer_class = FlashSaleSerializer
    queryset = selectors.flash_sale_list()
    permission_classes = [IsAdminOrReadOnly]

    def get_throttles(self):
        if self.action == "claims" and self.request.method == "POST":
            return [CustomerThrottle(), AddressThrottle()]
        return super().get_throttles()

    def throttled(self, request, wait):
        if self.action == "claims":  # in the gate's words (flashsales/asgi.py)
            raise errors.ClaimThrottled(retry_after=math.ceil(wait or 1))
        super().throttled(request, wait)

    def perform_create(self, serializer):
        serializer.instance = services.flash_sale_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.flash_sale_update(
            sale=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.flash_sale_delete(sale=instance)

    @extend_schema(
        methods=["POST"],
        request=None,
        responses={201: ClaimCreatedSerializer, 409: ErrorSerializer},
        operation_id="flash_sales_claims_create",
    )
    @extend_schema(
        methods=["GET"],
        responses=ClaimSerializer(many=True),
        operation_id="flash_sales_claims_list",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=None,
        permission_classes=[IsAuthenticated, IsRegisteredCustomer],
    )
    def claims(self, request, pk=None):
        """POST claims one unit of the open drop (409 sold_out, limit_reached, not_open,
        sale_ended); GET lists your claims on this sale."""
        if request.method == "GET":
            sale = get_by_id_or_404(selectors.flash_sale_list(), pk or "")
            claims = selectors.claim_list(sale_id=sale.pk, customer=request.user)
            return Response(ClaimSerializer(claims, many=True).data)
        sale_id = parse_database_id(pk or "")
        if sale_id is None:  # the service answers an unknown sale; a malformed id stops here
            raise NotFound()
        try:
            claim = services.claim_through_gate(
                sale_id=sale_id,
                customer=request.user,
                address=request_client_address(request),
                rates=False,  # DRF's throttles above count this path's claims
            )
        except ApplicationError as exc:
            count_claim(exc.code)
            raise
        count_claim("admitted")
        return Response(ClaimCreatedSerializer(claim).data, status=status.HTTP_201_CREATED)
