from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsAdmin, IsCustomer
from core.exceptions import ErrorSerializer, NotFound
from core.ids import get_by_id_or_404
from idempotency.services import IDEMPOTENCY_KEY_PARAMETER, idempotent_response
from orders.selectors import order_list
from payments import errors, selectors, services
from payments.models import Payment
from payments.providers import sandbox
from payments.serializers import (
    PaymentCreateSerializer,
    PaymentSerializer,
    SandboxCardSerializer,
    SandboxPayAnswerSerializer,
    WebhookAnswerSerializer,
    carries_card_data,
)


class OrderPaymentView(APIView):
    """Pay an order awaiting payment: a Pix charge, or a card through its provider token."""

    permission_classes = [IsAuthenticated, IsCustomer]

    @extend_schema(
        request=PaymentCreateSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: PaymentSerializer, 409: ErrorSerializer, 503: ErrorSerializer},
        operation_id="orders_payments_create",
        tags=["payments"],
    )
    def post(self, request, order_id: str):
        order = get_by_id_or_404(order_list(user=request.user), order_id)
        if carries_card_data(request.data):
            raise errors.CardDataRefused()
        serializer = PaymentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def run():
            payment = services.payment_start(
                order=order,
                customer=request.user,
                client_key=request.headers.get("Idempotency-Key"),
                **serializer.validated_data,
            )
            body = PaymentSerializer(payment, context={"request": request}).data
            return Response(body, status=status.HTTP_201_CREATED)

        # Not one transaction: the provider is called between the payment's own short ones.
        return idempotent_response(request, self, run, atomic=False)


class PaymentViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A payment of one of your orders; administrators see its transaction log and refund."""

    serializer_class = PaymentSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.payment_list(user=self.request.user)

    @extend_schema(
        request=None, responses={200: PaymentSerializer, 409: ErrorSerializer, 503: ErrorSerializer}
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, IsAdmin])
    def refund(self, request, pk=None):
        """Refund the payment through its provider; its order becomes refunded."""
        payment = services.payment_refund(payment=self.get_object(), by=request.user)
        payment = self.get_queryset().get(pk=payment.pk)
        return Response(PaymentSerializer(payment, context={"request": request}).data)


class WebhookView(APIView):
    """Notifications from the payment provider, checked by their signature alone."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request={"application/json": {"type": "object"}},
        responses={200: WebhookAnswerSerializer},
        operation_id="payments_webhook",
        tags=["payments"],
    )
    def post(self, request, provider: str):
        result = services.webhook_receive(
            provider_name=provider,
            headers=request.headers,
            query=request.query_params,
            body=request.body,
        )
        return Response({"result": result})


class SandboxCardTokenView(APIView):
    """Sandbox only: turn a test card into a token, as a provider's browser SDK would."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=SandboxCardSerializer,
        responses={201: SandboxCardSerializer},
        operation_id="payments_sandbox_card_token",
        tags=["payments"],
    )
    def post(self, request):
        sandbox.require_sandbox()
        serializer = SandboxCardSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        card = sandbox.card_tokenize(
            number=data["number"],
            exp_month=data["exp_month"],
            exp_year=data["exp_year"],
            cvv=data["cvv"],
        )
        body = {"token": card.token, "brand": card.brand, "last4": card.last4}
        return Response(body, status=status.HTTP_201_CREATED)


class SandboxPayView(APIView):
    """Sandbox only: the payer settles their charge (a Pix transfer, a 3-D Secure check); the
    sandbox then notifies the shop through a signed webhook."""

    permission_classes = [IsAuthenticated, IsCustomer]
    method = Payment.Method.PIX

    @extend_schema(
        request=None,
        responses={202: SandboxPayAnswerSerializer, 409: OpenApiResponse(ErrorSerializer)},
        tags=["payments"],
    )
    def post(self, request, payment_id: str):
        sandbox.require_sandbox()
        return self.pay(get_by_id_or_404(self.payments(request), payment_id))

    def payments(self, request):
        return selectors.payment_list(user=request.user).filter(method=self.method)

    def pay(self, payment: Payment) -> Response:
        services.sandbox_pay(payment=payment)
        detail = "Paid; the provider notifies the shop, and the order follows."
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)


class SandboxChallengeView(SandboxPayView):
    """Sandbox only: the card holder passes 3-D Secure (the payment's `action_url`)."""

    method = Payment.Method.CARD

    @extend_schema(
        request=None,
        responses={202: SandboxPayAnswerSerializer, 409: OpenApiResponse(ErrorSerializer)},
        tags=["payments"],
    )
    def post(self, request, charge_id: str):
        sandbox.require_sandbox()
        payment = self.payments(request).filter(provider_payment_id=charge_id).first()
        if payment is None:
            raise NotFound()
        return self.pay(payment)
