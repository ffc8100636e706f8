from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import IsAdmin
from core.exceptions import ErrorSerializer
from core.qr import qr_svg
from tickets import selectors
from tickets.admissions import admission_check_in
from tickets.serializers import (
    AdmissionSerializer,
    CheckedInSerializer,
    CheckInSerializer,
    TicketSerializer,
)


class TicketViewSet(viewsets.ReadOnlyModelViewSet):
    """A customer's tickets by code (administrators see all); another's ticket is a 404."""

    serializer_class = TicketSerializer
    lookup_field = "code"

    def get_queryset(self):
        return selectors.ticket_list(user=self.request.user)


class AdmissionViewSet(viewsets.ReadOnlyModelViewSet):
    """Admissions to events: a customer's own (administrators: all), by code; another's
    admission is a 404. `check-in` is for the door staff (administrators)."""

    serializer_class = AdmissionSerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9]+"

    def get_queryset(self):
        return selectors.admission_list(user=self.request.user)

    @extend_schema(
        responses={(200, "image/svg+xml"): OpenApiTypes.STR},
        description="The admission's code as an SVG QR code, for the door's scanner.",
    )
    @action(detail=True, methods=["get"], url_path="qr.svg")
    def qr(self, request, code=None):
        # A plain response: errors (404) are still the API's JSON.
        admission = self.get_object()
        return HttpResponse(qr_svg(admission.code, scale=6), content_type="image/svg+xml")

    @extend_schema(
        request=CheckInSerializer,
        responses={200: CheckedInSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
    )
    @action(detail=False, methods=["post"], url_path="check-in", permission_classes=[IsAdmin])
    def check_in(self, request):
        """Let the holder in: 200 the first time; 409 already_checked_in (with
        checked_in_at) or admission_void; 404 for an unknown code. Every scan is recorded."""
        data = CheckInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        admission = admission_check_in(code=data.validated_data["code"], by=request.user)
        return Response({"admission": AdmissionSerializer(admission).data})
