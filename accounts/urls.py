from django.urls import path
from rest_framework.routers import SimpleRouter
from rest_framework_simplejwt.views import TokenRefreshView, TokenVerifyView

from accounts import views

router = SimpleRouter(trailing_slash=False)
router.register("users", views.UserViewSet, basename="user")

urlpatterns = [
    path("auth/register", views.RegisterView.as_view(), name="auth-register"),
    path("auth/guest", views.GuestView.as_view(), name="auth-guest"),
    path("auth/token", views.LoginView.as_view(), name="auth-token"),
    path("auth/token/refresh", TokenRefreshView.as_view(), name="auth-token-refresh"),
    path("auth/token/verify", TokenVerifyView.as_view(), name="auth-token-verify"),
    path("auth/logout", views.LogoutView.as_view(), name="auth-logout"),
    path("auth/verify-email", views.VerifyEmailView.as_view(), name="auth-verify-email"),
    path(
        "auth/verify-email/resend",
        views.VerifyEmailResendView.as_view(),
        name="auth-verify-email-resend",
    ),
    path("auth/password-reset", views.PasswordResetView.as_view(), name="auth-password-reset"),
    path(
        "auth/password-reset/confirm",
        views.PasswordResetConfirmView.as_view(),
        name="auth-password-reset-confirm",
    ),
    path("auth/password", views.PasswordChangeView.as_view(), name="auth-password"),
    path("auth/email", views.EmailChangeView.as_view(), name="auth-email"),
    path("auth/email/confirm", views.EmailChangeConfirmView.as_view(), name="auth-email-confirm"),
    path("sessions/current", views.CurrentSessionView.as_view(), name="session-current"),
    path("sessions/current/data", views.PersonalDataView.as_view(), name="session-current-data"),
    *router.urls,
]
