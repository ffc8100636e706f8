"""The accounts app's sections of a person's data (accounts/personal_data.py)."""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.models import AccountMail, DeniedToken, User
from accounts.personal_data import Section, register
from accounts.tokens import user_tokens_revoke
from core.moments import moment


def anonymised_email(user: User) -> str:
    """The address an erased account keeps: unique, and no mailbox anywhere (.invalid)."""
    return f"erased-{user.pk}@erased.invalid"


def _profile(user: User) -> dict:
    return {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "cpf": user.cpf,
        "phone": user.phone,
        "language": user.language,
        "email_verified": user.email_verified,
        "role": user.role,
        "is_guest": user.is_guest,
        "date_joined": moment(user.date_joined),
        "last_login": moment(user.last_login) if user.last_login else None,
    }


def _erase_profile(user: User) -> None:
    email = user.email
    user.email = anonymised_email(user)
    user.first_name = user.last_name = user.phone = ""
    user.cpf = None
    user.email_verified = False
    user.is_active = False
    user.anonymised_at = timezone.now()
    user.set_unusable_password()
    user.save()
    user_tokens_revoke(user=user)
    OutstandingToken.objects.filter(user=user).delete()  # their blacklist rows go with them
    # The back office's history names the account by its e-mail.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=user.email)
    _login_records(email).delete()


def _login_records(email: str):
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(username=email)


def _mails(user: User) -> list[dict]:
    return [
        {
            "kind": m.kind,
            "to": m.to,
            "created_at": moment(m.created_at),
            "sent_at": moment(m.sent_at) if m.sent_at else None,
        }
        for m in user.mails.all()
    ]


def _sign_ins(user: User) -> list[dict]:
    tokens = OutstandingToken.objects.filter(user=user).order_by("created_at")
    return [
        {"created_at": moment(t.created_at), "expires_at": moment(t.expires_at)}
        for t in tokens
        if t.created_at
    ]


def _failed_logins(user: User) -> dict:
    from axes.models import AccessFailureLog, AccessLog

    failures = AccessFailureLog.objects.filter(username=user.email).order_by("attempt_time")
    logins = AccessLog.objects.filter(username=user.email).order_by("attempt_time")
    return {
        "failed": [
            {"at": moment(f.attempt_time), "ip_address": f.ip_address, "user_agent": f.user_agent}
            for f in failures
        ],
        "signed_in": [
            {"at": moment(a.attempt_time), "ip_address": a.ip_address, "user_agent": a.user_agent}
            for a in logins
        ],
    }


def _erase_failed_logins(user: User) -> None:
    from axes.models import AccessFailureLog, AccessLog

    AccessFailureLog.objects.filter(username=user.email).delete()
    AccessLog.objects.filter(username=user.email).delete()


def _devices(user: User) -> list[dict]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return [
        {"name": d.name, "confirmed": d.confirmed, "created_at": moment(d.created_at)}
        for d in TOTPDevice.objects.filter(user=user)
    ]


def register_sections() -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice

    register(
        Section(
            "profile",
            (User,),
            export=_profile,
            anonymise=_erase_profile,
            reviewed={
                DeniedToken: "token ids only, no person",
                BlacklistedToken: "goes with its OutstandingToken",
                LogEntry: "staff's actions; an erased account's entries are renamed",
                AccessAttempt: "the lockout's counters, deleted with the profile",
            },
        )
    )
    register(
        Section(
            "account_mails",
            (AccountMail,),
            export=_mails,
            anonymise=lambda user: user.mails.all().delete(),
        )
    )
    register(Section("sign_ins", (OutstandingToken,), export=_sign_ins))
    register(
        Section(
            "second_factor_devices",
            (TOTPDevice,),
            export=_devices,
            anonymise=lambda user: TOTPDevice.objects.filter(user=user).delete(),
        )
    )
    register(
        Section(
            "failed_logins",
            (AccessFailureLog, AccessLog),
            export=_failed_logins,
            anonymise=_erase_failed_logins,
        )
    )
