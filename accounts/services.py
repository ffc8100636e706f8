"""Account writes: every path that creates a user or ends a session comes through here."""

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken, Token

from accounts import links, personal_data
from accounts.emails import account_mail_queue, account_mail_send
from accounts.errors import (
    CPFLocked,
    EmailRegistered,
    InvalidRefreshToken,
    LinkInvalid,
    WrongPassword,
)
from accounts.managers import normalize_email
from accounts.models import EMAIL_TAKEN, AccountMail, User
from accounts.signals import guest_adopted
from accounts.tokens import session_revoke
from accounts.validators import is_valid_cpf, normalize_cpf, normalize_phone_field, validate_cpf
from core.locks import lock, lock_one
from core.tasks import enqueue

logger = logging.getLogger(__name__)


def user_create(
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    cpf: str | None = None,
    role: str = User.Role.CUSTOMER,
    language: str | None = None,
) -> User:
    """Create a user after validating every field and the password; raise ValidationError."""
    user = User(
        email=normalize_email(email),
        first_name=first_name,
        last_name=last_name,
        cpf=cpf or None,  # an empty CPF is absent, as the admin form already treats it
        role=role,
        language=account_language(language),
    )
    errors: dict[str, list] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
        # The e-mail's uniqueness is a conditional constraint (guests may share an e-mail):
        # Django reports it for the whole object; it is the e-mail's error.
        if EMAIL_TAKEN in errors.get(NON_FIELD_ERRORS, []):
            errors[NON_FIELD_ERRORS].remove(EMAIL_TAKEN)
            errors["email"] = [EMAIL_TAKEN]
            if not errors[NON_FIELD_ERRORS]:
                del errors[NON_FIELD_ERRORS]
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
        if User.objects.filter(email=user.email, is_guest=False).exists():
            raise ValidationError({"email": [EMAIL_TAKEN]}) from exc
        raise ValidationError(_("The account could not be created; please try again.")) from exc
    return user


def user_register(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    cpf: str | None = None,
    language: str | None = None,
) -> User:
    """Self-service sign-up: always a customer, whatever else the request carried.

    A CPF is personal data, and a sign-up form must not tell strangers whose CPF is
    registered: a valid CPF already linked to another account is left off the new one,
    and the answer is the same 201 as for any sign-up (the DTO never shows the CPF). The
    log line lets staff link it once they have confirmed who owns it.

    The guests who shopped with the same e-mail keep their orders: typing an e-mail into a
    sign-up form proves nothing about the mailbox, so handing them over here would give a
    stranger the guest's orders, payments, tickets and admissions (`guests_adopt` does it
    once the account has proved the e-mail).

    `language` (the request's, from Accept-Language) is the account's for its e-mails.
    """
    fields = {
        "email": email,
        "password": password,
        "first_name": first_name,
        "last_name": last_name,
        "role": User.Role.CUSTOMER,
        "language": language,
    }
    with transaction.atomic():
        user = _register(fields, normalize_cpf(cpf) or None)
        email_verification_request(user=user)
    return user


def email_verification_request(*, user: User) -> None:
    """E-mail the account a link that verifies its address (nothing once it is verified)."""
    if user.email_verified or user.is_guest:
        return
    account_mail_queue(user=user, kind=AccountMail.Kind.VERIFY_EMAIL)


def _link_for(purpose: links.Purpose, token: object, signed_in: User) -> tuple[User, str]:
    """The link's account and extra, for its signed-in holder only: the link proves the
    mailbox, the sign-in proves the account. Either alone is not enough to hand over a
    guest's orders (someone who registered a stranger's address knows its password, the
    stranger has the mailbox)."""
    user, extra = links.link_user(purpose, token)
    if user.pk != signed_in.pk:
        raise LinkInvalid()
    return lock_one(User.objects, pk=user.pk), extra


@transaction.atomic
def email_verify(*, token: object, user: User) -> User:
    """Mark the address of the signed-in account verified with the link mailed to it, and
    give the account the orders, tickets and admissions of the guests who shopped with that
    address (`guests_adopt`). Once: a second use, even racing the first, is LinkInvalid."""
    user, _ = _link_for(links.VERIFY_EMAIL, token, user)
    if user.email_verified:
        raise LinkInvalid()
    user.email_verified = True
    user.save(update_fields=["email_verified"])
    guests_adopt(user=user)
    return user


def _register(fields: dict, cpf: str | None) -> User:
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


@transaction.atomic
def guests_adopt(*, user: User) -> None:
    """Hand the orders, tickets and admissions of this e-mail's guests to `user`.

    Call it only for an account that has proved it owns the mailbox (by verifying the
    e-mail), never at sign-up. The guests' tokens stop working: their history has an owner.
    """
    for guest in lock(User.objects.filter(email=user.email, is_guest=True, is_active=True)):
        guest_adopted.send(sender=User, guest=guest, user=user)
        # Its history is the account's now: the empty guest keeps no one's address.
        guest.is_active, guest.email = False, f"adopted-{guest.pk}@erased.invalid"
        guest.save(update_fields=["is_active", "email"])


def password_reset_request(*, email: str) -> None:
    """Mail a password-reset link to the account of `email`, if there is one. The request
    only queues the e-mail address: whether an account has it is looked up by the task, so
    an unknown address is answered as fast, and alike, as a known one."""
    from accounts.tasks import send_password_reset

    enqueue(send_password_reset, normalize_email(email))


def password_reset_mail(*, email: str) -> bool:
    """The task's half: queue and send the link to the account of `email`; False if none."""
    user = User.objects.filter(email=email, is_guest=False, is_active=True).first()
    if user is None:
        return False
    mail = AccountMail.objects.create(user=user, kind=AccountMail.Kind.PASSWORD_RESET, to=email)
    return account_mail_send(mail_id=mail.pk)


@transaction.atomic
def password_reset_confirm(*, token: object, password: str) -> User:
    """Set the new password of the link's account; the link is used up with the old password
    hash, and every token and session of the account ends (accounts/tokens.py)."""
    user, _ = links.link_user(links.PASSWORD_RESET, token)
    locked = lock_one(User.objects, pk=user.pk)
    if locked.password != user.password:  # a concurrent reset with the same link won
        raise LinkInvalid()
    _password_set(locked, password, field="password")
    return locked


@transaction.atomic
def password_change(*, user: User, current_password: str, new_password: str) -> None:
    """Change a password with the current one; every sign-in ends, this one included."""
    locked = lock_one(User.objects, pk=user.pk)
    _password_confirm(locked, current_password)
    _password_set(locked, new_password, field="new_password")


def _password_confirm(user: User, password: str) -> None:
    """The owner's current password, for a change that needs it; WrongPassword otherwise."""
    if not user.check_password(password):
        raise WrongPassword()


def _password_set(user: User, password: str, *, field: str) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])  # User.save ends every sign-in
    account_mail_queue(user=user, kind=AccountMail.Kind.PASSWORD_CHANGED)


PROFILE_FIELDS = ("first_name", "last_name", "cpf", "phone", "language")


@transaction.atomic
def profile_update(*, user: User, **changes: Any) -> User:
    """Change the account's own profile. A CPF is set once (staff correct it); one that
    belongs to another account is left off, as at sign-up, so the answer tells no one
    whose CPF it is."""
    user = lock_one(User.objects, pk=user.pk)
    if changes.get("phone"):
        changes["phone"] = normalize_phone_field(changes["phone"])
    if "cpf" in changes:
        cpf = normalize_cpf(changes.pop("cpf")) or None
        if cpf != user.cpf and cpf is not None:
            if user.cpf:
                raise CPFLocked()
            try:
                validate_cpf(cpf)
            except ValidationError as exc:
                raise ValidationError({"cpf": exc.error_list}) from exc
            if _cpf_taken(cpf):
                logger.warning("User %s gave a CPF linked to another account; not set.", user.pk)
            else:
                user.cpf = cpf
        elif cpf is None and user.cpf:
            raise CPFLocked()
    for name, value in changes.items():
        setattr(user, name, value)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        if user.cpf is None or not _cpf_taken(user.cpf):
            raise
        # A concurrent sign-up took the CPF between the check and the save: as above.
        user.cpf = None
        user.save()
    return user


@transaction.atomic
def email_change_request(*, user: User, new_email: str, password: str) -> None:
    """Mail a link to the new address; the account's e-mail changes when it is used."""
    _password_confirm(user, password)
    new_email = normalize_email(new_email)
    if User.objects.filter(email=new_email, is_guest=False).exclude(pk=user.pk).exists():
        raise ValidationError({"new_email": [EMAIL_TAKEN]})
    account_mail_queue(user=user, kind=AccountMail.Kind.EMAIL_CHANGE, to=new_email)


@transaction.atomic
def email_change_confirm(*, token: object, user: User) -> User:
    """Make the link's new address the signed-in account's e-mail, verified (the link
    reached it), and adopt the guests who shopped with it; once."""
    user, new_email = _link_for(links.EMAIL_CHANGE, token, user)
    if user.email == new_email:
        raise LinkInvalid()
    if User.objects.filter(email=new_email, is_guest=False).exclude(pk=user.pk).exists():
        raise EmailRegistered()  # another account took the address meanwhile
    user.email, user.email_verified, user._email_proven = new_email, True, True
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "email_verified"])
    except IntegrityError as exc:
        raise EmailRegistered() from exc
    guests_adopt(user=user)
    return user


@transaction.atomic
def account_erase(*, user: User, password: str | None = None, by_staff: bool = False) -> bool:
    """Erase an account's personal data (LGPD art. 18): every app's section anonymises its
    rows (accounts/personal_data.py), paid orders keep the buyer's name and CPF for the
    fiscal retention, every sign-in ends. The owner confirms with the password; staff
    through the admin. Refused (409) while an order is in flight; False if erased already."""
    locked = lock_one(User.objects, pk=user.pk)
    if not by_staff:
        _password_confirm(locked, password or "")
    if locked.anonymised_at is not None:
        return False
    personal_data.refuse_erasure(locked)
    personal_data.anonymise(locked)
    logger.info("Personal data of user %s erased%s.", locked.pk, " by staff" if by_staff else "")
    return True


def account_language(language: str | None) -> str:
    """One of the account languages, from a request's (pt-br when it is none of them)."""
    known = {code for code, _label in settings.LANGUAGES}
    return language if language is not None and language in known else settings.LANGUAGE_CODE


def guest_create(*, email: str, language: str | None = None) -> User:
    """A guest customer for this e-mail: no password, so a new one each time.

    Each guest sees only what it bought itself: handing an earlier guest's orders (and
    their tickets and event admissions) to whoever types the same e-mail would give them
    to anyone who knows it. Registering with the e-mail brings them together.
    """
    email = normalize_email(email)
    if User.objects.filter(email=email, is_guest=False).exists():
        raise EmailRegistered()
    guest = User(
        email=email, is_guest=True, role=User.Role.CUSTOMER, language=account_language(language)
    )
    guest.set_unusable_password()
    guest.full_clean(exclude=["password"])
    with transaction.atomic():
        guest.save()  # carts.receivers gives it a cart
    return guest


def _cpf_taken(cpf: str) -> bool:
    return User.objects.filter(cpf=cpf).exists()


def _register_without_cpf(fields: dict) -> User:
    user = user_create(**fields, cpf=None)
    logger.warning(
        "Sign-up of user %s gave a CPF already linked to another account; not attached.",
        user.pk,
    )
    return user


def tokens_revoke(*, refresh: str | None = None, access: Token | None = None) -> None:
    """End the session a logout presents, whichever of its tokens it shows: the refresh
    token blacklisted, and every token of the session refused from now on, everywhere."""
    if refresh:
        try:
            token = RefreshToken(refresh)  # type: ignore[arg-type]  # the stubs omit str
            token.blacklist()
        except TokenError as exc:
            raise InvalidRefreshToken() from exc
        session_revoke(claims=token)
    if access is not None:
        session_revoke(claims=access)
