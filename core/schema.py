"""How the OpenAPI schema describes this API, so that it is the truth clients can code against.

drf-spectacular documents what views declare; this adds what the shared machinery does to
every operation: the error answers each can give (in the one error shape), which
operations anonymous clients may call, and that no string parameter may hold a NUL.
"""

from types import SimpleNamespace
from typing import Any

from drf_spectacular import openapi
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS
from rest_framework_simplejwt.views import TokenViewBase

from core.exceptions import ErrorSerializer, ValidationErrorSerializer

ERRORS = {
    400: "The request is malformed or invalid: its body, a parameter or the URL.",
    401: "Not authenticated, or the token is invalid, expired or revoked.",
    403: "Not allowed for this role, or a session request without its CSRF token.",
    404: "Not found, or not yours.",
    409: "Conflicts with the current state.",
    413: "The request body is larger than the server accepts.",
    414: "The URL is longer than the HTTP server accepts (its own answer, before the API's).",
    415: "The body's media type is not accepted.",
    429: "Too many requests, or password logins paused; see Retry-After.",
    503: "A service this request needs (the database) is unavailable; see Retry-After.",
}


class JWTScheme(SimpleJWTScheme):
    """Our JWTAuthentication (SimpleJWT's plus the logout denylist) is the same Bearer scheme."""

    target_class = "accounts.authentication.JWTAuthentication"


class SessionCookieScheme(SessionScheme):
    """Our SessionAuthentication (DRF's, refusing an administrator's session without the
    second factor) is the same cookie scheme."""

    target_class = "accounts.authentication.SessionAuthentication"


def _user(role: str | None):
    if role is None:
        return SimpleNamespace(
            is_authenticated=False,
            is_admin=False,
            is_customer=False,
            is_registered_customer=False,
            is_guest=False,
            pk=None,
        )
    return SimpleNamespace(
        is_authenticated=True,
        is_admin=role == "admin",
        is_customer=role in ("customer", "guest"),
        is_registered_customer=role == "customer",
        is_guest=role == "guest",
        pk=0,
    )


class AutoSchema(openapi.AutoSchema):
    def _permits(self, role: str | None) -> bool:
        """Whether the view's permissions let a caller of this role through (by method)."""
        request: Any = SimpleNamespace(user=_user(role), method=self.method)
        return all(p.has_permission(request, self.view) for p in self.view.get_permissions())

    def get_auth(self):
        auths = super().get_auth()
        if {} not in auths and self._permits(None):
            auths.append({})  # anonymous callers too
        return auths

    def _error_statuses(self) -> set[int]:
        statuses = {400, 503}  # a malformed URL or body; the database down
        authenticators = self.view.get_authenticators()
        if authenticators or isinstance(self.view, TokenViewBase):
            statuses.add(401)  # a bad token on any endpoint, bad credentials on the token ones
        unsafe = self.method not in SAFE_METHODS
        if not all(map(self._permits, ("customer", "admin", "guest"))) or (
            unsafe and any(isinstance(a, SessionAuthentication) for a in authenticators)
        ):
            statuses.add(403)
        if "{" in self.path or self._is_list_view():
            statuses.add(404)  # a missing object, or a page past the last
        if "{" in self.path or self._get_query_parameters_present():
            statuses.add(414)  # parameters make the URL as long as a client likes
        if unsafe:
            statuses.add(413)
            if self.get_request_serializer() is not None:
                statuses.add(415)
        if self.view.get_throttles():
            statuses.add(429)
        return statuses

    def _get_query_parameters_present(self) -> bool:
        return any(p.get("in") == "query" for p in self._get_parameters())

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status in sorted(self._error_statuses()):
            if str(status) in responses:
                continue
            if status == 414:  # no body of ours: gunicorn or nginx answers
                responses["414"] = {"description": ERRORS[414]}
                continue
            serializer = ValidationErrorSerializer if status == 400 else ErrorSerializer
            response = self._get_response_for_code(serializer, str(status), direction=direction)
            responses[str(status)] = {**response, "description": ERRORS[status]}
        return responses


NO_NUL = "^[^\\u0000]*$"


def _forbid_nul(schema: dict) -> None:
    if schema.get("type") == "string" and not {"enum", "format", "pattern"} & schema.keys():
        schema["pattern"] = NO_NUL


def forbid_nul_in_strings(result, generator, request, public):
    """Document that no string the API takes holds a NUL.

    core.middleware answers 400 to one in the URL, and DRF's CharField to one in a body.
    """
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                _forbid_nul(parameter.get("schema", {}))
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):  # COMPONENT_SPLIT_REQUEST: what clients send
            for field in component.get("properties", {}).values():
                _forbid_nul(field)
    return result
