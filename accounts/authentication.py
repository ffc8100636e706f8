"""Bearer-token authentication shared by the API and the WebSocket consumers."""

from rest_framework_simplejwt import authentication, serializers
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.tokens import UntypedToken

from accounts.tokens import access_token_is_denied


class JWTAuthentication(authentication.JWTAuthentication):
    """SimpleJWT's authentication that also refuses access tokens denied at logout."""

    def get_validated_token(self, raw_token):
        token = super().get_validated_token(raw_token)
        if access_token_is_denied(token=token):
            raise InvalidToken("Token has been revoked.")
        return token


class TokenVerifySerializer(serializers.TokenVerifySerializer):
    """`POST /api/auth/token/verify` calls a token ended by logout invalid, as the API does."""

    def validate(self, attrs):
        super().validate(attrs)  # signature, expiry, blacklisted refresh tokens
        if access_token_is_denied(token=UntypedToken(attrs["token"])):
            raise InvalidToken("Token has been revoked.")
        return {}
