from django.contrib.auth import logout
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView

from accounts import personal_data, selectors, services
from accounts.models import User
from accounts.permissions import IsAccountHolder, IsAccountHolderOrReadOnly, IsAdmin
from accounts.serializers import (
    AccountEraseSerializer,
    EmailChangeSerializer,
    GuestSerializer,
    GuestTokensSerializer,
    LinkTokenSerializer,
    LogoutSerializer,
    PasswordChangeSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetSerializer,
    ProfileSerializer,
    RegisterSerializer,
    UserAdminSerializer,
    UserCreateSerializer,
    UserFilterSerializer,
    UserSerializer,
)
from accounts.tokens import token_pair_for
from core.exceptions import ErrorSerializer
from core.throttles import FieldThrottle, ScopedThrottle


class RegisterView(APIView):
    """Create a customer account. Public."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedThrottle]
    throttle_scope = "register"

    @extend_schema(request=RegisterSerializer, responses={201: UserSerializer})
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_register(**serializer.validated_data, language=request.LANGUAGE_CODE)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class GuestView(APIView):
    """Shop as a guest with an e-mail and no password: cart, purchase and payment only (no
    flash-sale claims, no chat). Each call is a new guest; an account that verifies the same
    e-mail later gets every guest's orders. Public."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedThrottle]
    throttle_scope = "register"

    @extend_schema(
        request=GuestSerializer, responses={201: GuestTokensSerializer, 409: ErrorSerializer}
    )
    def post(self, request):
        serializer = GuestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        guest = services.guest_create(**serializer.validated_data, language=request.LANGUAGE_CODE)
        refresh = token_pair_for(guest)
        body = {"access": str(refresh.access_token), "refresh": str(refresh), "user": guest}
        return Response(GuestTokensSerializer(body).data, status=status.HTTP_201_CREATED)


class VerifyEmailView(APIView):
    """Verify the signed-in account's e-mail with the token of the link it was sent; the
    guests who shopped with that e-mail hand their orders, tickets and admissions to the
    account. The link proves the mailbox, the sign-in the account: both are needed."""

    permission_classes = [IsAccountHolder]

    @extend_schema(request=LinkTokenSerializer, responses={200: UserSerializer})
    def post(self, request):
        serializer = LinkTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.email_verify(user=request.user, **serializer.validated_data)
        return Response(UserSerializer(user).data)


class VerifyEmailResendView(APIView):
    """Send the signed-in account a new verification link (nothing once it is verified)."""

    permission_classes = [IsAccountHolder]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "account_mail"

    @extend_schema(request=None, responses={202: None})
    def post(self, request):
        services.email_verification_request(user=request.user)
        return Response(status=status.HTTP_202_ACCEPTED)


class PasswordResetView(APIView):
    """E-mail a password-reset link to the account of this address, if there is one. The
    answer is the same 202 either way: it tells no one whether an account exists. Public;
    throttled per client and per e-mail address."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedThrottle, FieldThrottle]
    throttle_scope = "account_mail"
    throttle_field = "email"

    @extend_schema(request=PasswordResetSerializer, responses={202: None})
    def post(self, request):
        serializer = PasswordResetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_request(**serializer.validated_data)
        return Response(status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(APIView):
    """Set a new password with the token of the e-mailed link; every sign-in of the account
    ends, on every door. Public: the token is the proof."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(request=PasswordResetConfirmSerializer, responses={204: None})
    def post(self, request):
        serializer = PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_confirm(**serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeView(APIView):
    """Change the password with the current one; every sign-in ends, this one included, and
    a notice goes to the account's e-mail. Throttled as logins are."""

    permission_classes = [IsAccountHolder]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "login"

    @extend_schema(request=PasswordChangeSerializer, responses={204: None})
    def post(self, request):
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_change(user=request.user, **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LoginView(TokenObtainPairView):
    """Exchange e-mail and password for an access and a refresh token. Public."""

    throttle_classes = [ScopedThrottle]
    throttle_scope = "login"


class LogoutView(APIView):
    """Blacklist the given refresh token, refuse the presented access token, end the session."""

    permission_classes = [AllowAny]

    @extend_schema(request=LogoutSerializer, responses={204: None})
    def post(self, request):
        serializer = LogoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        refresh = serializer.validated_data.get("refresh")
        if not refresh and not request.user.is_authenticated:
            raise serializers.ValidationError({"refresh": [_("This field is required.")]})
        # request.auth is the access token this request was authenticated with, if any.
        services.tokens_revoke(refresh=refresh, access=request.auth)
        logout(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CurrentSessionView(APIView):
    """The signed-in user, by session or Bearer token; an account changes its profile with
    PATCH (a CPF once; staff correct it)."""

    permission_classes = [IsAccountHolderOrReadOnly]
    throttle_scope = "login"

    def get_throttles(self):
        # An erasure checks the password: guessing it is throttled as logins are.
        return [ScopedThrottle()] if self.request.method == "DELETE" else []

    @extend_schema(responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(request.user).data)

    @extend_schema(request=ProfileSerializer, responses={200: UserSerializer, 409: ErrorSerializer})
    def patch(self, request):
        serializer = ProfileSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.profile_update(user=request.user, **serializer.validated_data)
        return Response(UserSerializer(user).data)

    @extend_schema(request=AccountEraseSerializer, responses={204: None, 409: ErrorSerializer})
    def delete(self, request):
        """Erase the account's personal data, confirmed with its password (LGPD)."""
        serializer = AccountEraseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.account_erase(user=request.user, **serializer.validated_data)
        logout(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PersonalDataView(APIView):
    """Everything the shop holds about the caller, as JSON (LGPD art. 18): profile, cart,
    orders, payments without card data, tickets, admissions, claims, chat messages,
    account e-mails, sign-ins and failed logins."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(personal_data.export(request.user))


class EmailChangeView(APIView):
    """Mail a link to a new address; the account's e-mail becomes it when the link is used."""

    permission_classes = [IsAccountHolder]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "account_mail"

    @extend_schema(request=EmailChangeSerializer, responses={202: None})
    def post(self, request):
        serializer = EmailChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.email_change_request(user=request.user, **serializer.validated_data)
        return Response(status=status.HTTP_202_ACCEPTED)


class EmailChangeConfirmView(APIView):
    """Use the token of the link mailed to the new address, signed in: it becomes the
    account's e-mail, verified."""

    permission_classes = [IsAccountHolder]

    @extend_schema(
        request=LinkTokenSerializer, responses={200: UserSerializer, 409: ErrorSerializer}
    )
    def post(self, request):
        serializer = LinkTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.email_change_confirm(user=request.user, **serializer.validated_data)
        return Response(UserSerializer(user).data)


@extend_schema(
    parameters=[
        OpenApiParameter("email", str, description="Substring of the e-mail"),
        OpenApiParameter("cpf", str, description="CPF, with or without punctuation"),
        OpenApiParameter("role", str, enum=User.Role.values),
    ]
)
class UserViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Administrators list and create accounts of either role."""

    permission_classes = [IsAdmin]
    serializer_class = UserAdminSerializer

    def get_queryset(self):
        if self.action != "list":
            return User.objects.all()
        filters = UserFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.user_list(**filters.validated_data)

    @extend_schema(request=UserCreateSerializer, responses={201: UserAdminSerializer})
    def create(self, request):
        serializer = UserCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_create(**serializer.validated_data)
        return Response(UserAdminSerializer(user).data, status=status.HTTP_201_CREATED)
