"""Bearer-token authentication shared by the API and the WebSocket consumers."""

from rest_framework import authentication as authentication_drf
from rest_framework_simplejwt import authentication, serializers
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.tokens import RefreshToken, UntypedToken

from accounts.tokens import generation_outdated, token_generation, token_is_denied


class JWTAuthentication(authentication.JWTAuthentication):
    """SimpleJWT's authentication that also refuses tokens whose session was logged out."""

    def get_validated_token(self, raw_token):
        token = super().get_validated_token(raw_token)
        if token_is_denied(token):
            raise InvalidToken("Token has been revoked.")
        return token

    def get_user(self, validated_token):
        """The user row is read anyway: its token generation is the record of a password
        reset, so a cache that missed the change (Redis down at the commit) lets nothing by."""
        user = super().get_user(validated_token)
        if token_generation(validated_token) < user.token_generation:
            raise InvalidToken("Token has been revoked.")
        return user


class TokenVerifySerializer(serializers.TokenVerifySerializer):
    """`POST /api/auth/token/verify` calls a token ended by logout invalid, as the API does."""

    def validate(self, attrs):
        super().validate(attrs)  # signature, expiry, blacklisted refresh tokens
        if token_is_denied(UntypedToken(attrs["token"])):
            raise InvalidToken("Token has been revoked.")
        return {}


class TokenRefreshSerializer(serializers.TokenRefreshSerializer):
    """`POST /api/auth/token/refresh` mints nothing more for a session that was logged out,
    whichever of its refresh tokens is presented."""

    def validate(self, attrs):
        refresh = RefreshToken(attrs["refresh"])
        if token_is_denied(refresh) or generation_outdated(refresh):
            raise InvalidToken("Token has been revoked.")
        return super().validate(attrs)


class SessionAuthentication(authentication_drf.SessionAuthentication):
    """DRF's session authentication, except for an administrator's session that has not
    given the second factor (a password-only login somewhere): the API does not take it."""

    def authenticate(self, request):
        from accounts.second_factor import needs_second_factor  # its models load after this

        found = super().authenticate(request)
        if found is None:
            return None
        user = request._request.user  # django-otp's OTPMiddleware says if it is verified
        if not getattr(user, "is_verified", lambda: False)() and needs_second_factor(found[0]):
            return None
        return found
