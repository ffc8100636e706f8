"""The account DTOs: exactly the fields that may leave or enter the server."""

from rest_framework import serializers
from rest_framework_simplejwt.serializers import PasswordField, TokenObtainPairSerializer

from accounts import selectors
from accounts.models import User


class UserFilterSerializer(serializers.Serializer):
    # Empty text means no filter, as for every text parameter.
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    cpf = serializers.CharField(required=False, allow_blank=True, max_length=14)
    role = serializers.ChoiceField(choices=User.Role.choices, required=False)


class UserSerializer(serializers.ModelSerializer):
    """The current-user DTO."""

    cart_id = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "role",
            "cart_id",
            "email_verified",
            "language",
        ]
        read_only_fields = fields

    def get_cart_id(self, user: User) -> int | None:
        return selectors.user_cart_id(user)


class UserAdminSerializer(UserSerializer):
    """What administrators see of an account."""

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "cpf", "is_guest", "is_active", "date_joined"]
        read_only_fields = fields


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=128)
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    cpf = serializers.CharField(max_length=14, required=False, allow_blank=True, allow_null=True)


class UserCreateSerializer(RegisterSerializer):
    role = serializers.ChoiceField(choices=User.Role.choices, default=User.Role.CUSTOMER)


class GuestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class GuestTokensSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
    user = UserSerializer()


class ProfileSerializer(serializers.Serializer):
    """What an account may change of itself (`PATCH /api/sessions/current`)."""

    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    cpf = serializers.CharField(max_length=14, required=False, allow_blank=True, allow_null=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    language = serializers.ChoiceField(
        choices=User._meta.get_field("language").choices, required=False
    )


class AccountEraseSerializer(serializers.Serializer):
    password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=4096)


class EmailChangeSerializer(serializers.Serializer):
    new_email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=4096)


class LinkTokenSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=1024, help_text="The token of the e-mailed link.")


class PasswordResetSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmSerializer(LinkTokenSerializer):
    password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=128)


class PasswordChangeSerializer(serializers.Serializer):
    current_password = serializers.CharField(
        write_only=True, trim_whitespace=False, max_length=4096
    )
    new_password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=128)


class LogoutSerializer(serializers.Serializer):
    refresh = serializers.CharField(required=False)


class LoginSerializer(TokenObtainPairSerializer):
    """SimpleJWT's login with bounded fields: no account has a longer e-mail, and a failed
    login with an unbounded one could not even be recorded by the lockout."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.username_field] = serializers.CharField(write_only=True, max_length=254)
        self.fields["password"] = PasswordField(max_length=4096)
        self.fields["otp"] = serializers.CharField(
            write_only=True,
            required=False,
            allow_blank=True,
            max_length=16,
            help_text="Administrators: the code of their authenticator app (TOTP).",
        )

    def validate(self, attrs):
        self._otp = attrs.pop("otp", None)
        return super().validate(attrs)

    def get_token(self, user):  # type: ignore[override]
        """After the password, before any token: an administrator's second factor."""
        from accounts.second_factor import second_factor_check
        from accounts.tokens import token_pair_for

        second_factor_check(user=user, code=self._otp, request=self.context.get("request"))
        return token_pair_for(user)
