"""Account writes: every path that creates a user or ends a session comes through here."""

import logging

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken, Token

from accounts.managers import normalize_email
from accounts.models import User
from accounts.tokens import access_token_deny
from accounts.validators import is_valid_cpf, normalize_cpf
from config.exceptions import ApplicationError

logger = logging.getLogger(__name__)


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
            user.save()  # carts.receivers gives a customer its cart in this transaction
    except IntegrityError as exc:
        # Lost a race with a concurrent creation of the same e-mail or CPF. Name the e-mail
        # (it is the login); never confirm that a CPF belongs to someone.
        if User.objects.filter(email=user.email).exists():
            raise ValidationError(
                {"email": [User._meta.get_field("email").error_messages["unique"]]}
            ) from exc
        raise ValidationError("The account could not be created; please try again.") from exc
    return user


def user_register(
    *, email: str, password: str, first_name: str, last_name: str, cpf: str | None = None
) -> User:
    """Self-service sign-up: always a customer, whatever else the request carried.

    A CPF is personal data, and a sign-up form must not tell strangers whose CPF is
    registered: a valid CPF already linked to another account is left off the new one,
    and the answer is the same 201 as for any sign-up (the DTO never shows the CPF). The
    log line lets staff link it once they have confirmed who owns it.
    """
    fields = {"email": email, "password": password, "first_name": first_name,
              "last_name": last_name, "role": User.Role.CUSTOMER}  # fmt: skip
    cpf = normalize_cpf(cpf) or None
    if not (cpf and is_valid_cpf(cpf)):
        return user_create(**fields, cpf=cpf)  # no CPF, or one the validators reject
    if _cpf_taken(cpf):
        return _register_without_cpf(fields)
    try:
        return user_create(**fields, cpf=cpf)
    except ValidationError:
        if not _cpf_taken(cpf):
            raise
        # A concurrent sign-up took the CPF between the check and the save.
        return _register_without_cpf(fields)


def _cpf_taken(cpf: str) -> bool:
    return User.objects.filter(cpf=cpf).exists()


def _register_without_cpf(fields: dict) -> User:
    user = user_create(**fields, cpf=None)
    logger.warning(
        "Sign-up of user %s gave a CPF already linked to another account; not attached.",
        user.pk,
    )
    return user


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
