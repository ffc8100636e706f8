from django.urls import path
from rest_framework.routers import SimpleRouter

from payments import views

router = SimpleRouter(trailing_slash=False)
router.register("payments", views.PaymentViewSet, basename="payment")

urlpatterns = [
    path("orders/<str:order_id>/payments", views.OrderPaymentView.as_view(), name="order-pay"),
    path("payments/webhooks/<str:provider>", views.WebhookView.as_view(), name="payment-webhook"),
    path(
        "payments/sandbox/card-tokens",
        views.SandboxCardTokenView.as_view(),
        name="sandbox-card-token",
    ),
    path(
        "payments/sandbox/pix/<str:payment_id>/pay",
        views.SandboxPayView.as_view(),
        name="sandbox-pix-pay",
    ),
    path(
        "payments/sandbox/3ds/<str:charge_id>/complete",
        views.SandboxChallengeView.as_view(),
        name="sandbox-3ds-complete",
    ),
    *router.urls,
]
