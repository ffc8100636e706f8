"""How the OpenAPI schema describes this API (drf-spectacular extensions)."""

from drf_spectacular import openapi
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class JWTScheme(SimpleJWTScheme):
    """Our JWTAuthentication (SimpleJWT's plus the logout denylist) is the same Bearer scheme."""

    target_class = "accounts.authentication.JWTAuthentication"


class AutoSchema(openapi.AutoSchema):
    pass
