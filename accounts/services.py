"""Account writes: every path that creates a user or ends a session comes through here."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken, Token

from accounts.managers import normalize_email
from accounts.models import User
from accounts.tokens import access_token_deny
from carts.services import cart_get_for_customer
from config.exceptions import ApplicationError


class InvalidRefreshToken(ApplicationError):
    status_code = 401
    code = "token_not_valid"
    message = "Token is invalid or expired."


def user_create(
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    cpf: str | None = None,
    role: str = User.Role.CUSTOMER,
) -> User:
    """Create a user after validating every field and the password; raise ValidationError."""
    user = User(
        email=normalize_email(email),
        first_name=first_name,
        last_name=last_name,
        cpf=cpf or None,  # an empty CPF is absent, as the admin form already treats it
        role=role,
    )
    errors: dict[str, list] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)

    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            if user.is_customer:
                cart_get_for_customer(customer=user)  # one open cart, created with the customer
    except IntegrityError as exc:
        # Lost a race with a concurrent registration of the same e-mail or CPF.
        raise ValidationError(
            {"email": ["A user with this e-mail or CPF already exists."]}
        ) from exc
    return user


def user_register(
    *, email: str, password: str, first_name: str, last_name: str, cpf: str | None = None
) -> User:
    """Self-service sign-up: always a customer, whatever else the request carried."""
    return user_create(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        cpf=cpf,
        role=User.Role.CUSTOMER,
    )


def refresh_token_revoke(*, refresh: str) -> None:
    """Blacklist a refresh token so it can never mint access tokens again."""
    try:
        RefreshToken(refresh).blacklist()
    except TokenError as exc:
        raise InvalidRefreshToken() from exc


def tokens_revoke(*, refresh: str | None = None, access: Token | None = None) -> None:
    """End what a logout presents: the refresh token for good, the access token at once."""
    if refresh:
        refresh_token_revoke(refresh=refresh)
    if access is not None:
        access_token_deny(token=access)
