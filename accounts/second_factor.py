"""Staff's second factor: TOTP (RFC 6238) by django-otp's TOTP plugin, enrolled with a QR
code drawn by segno.

An administrator with a confirmed device gives its code at every sign-in (the admin's
login, POST /api/auth/token's `otp`); with STAFF_REQUIRE_2FA on (production) one without a
device gets no token and, in the admin, is sent to enrolment before anything else. A wrong
code is a failed login for django-axes, so guessing codes meets the password lockout.
"""

import segno
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.errors import OTPInvalid, OTPRequired
from accounts.models import User
from accounts.tokens import user_tokens_revoke


def staff_device(user: User) -> TOTPDevice | None:
    """The administrator's confirmed TOTP device, if any."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def needs_second_factor(user: User) -> bool:
    return _owed(user, staff_device(user) if user.is_admin else None)


def _owed(user: User, device: TOTPDevice | None) -> bool:
    return user.is_admin and (settings.STAFF_REQUIRE_2FA or device is not None)


def needs_enrolment(user: User) -> bool:
    return user.is_admin and settings.STAFF_REQUIRE_2FA and staff_device(user) is None


def second_factor_check(*, user: User, code: object, request=None) -> TOTPDevice | None:
    """The device that verified `code` for an administrator who needs one (None for anyone
    else); OTPRequired without a code or a device, OTPInvalid (a failed login) for a
    wrong code."""
    device = staff_device(user) if user.is_admin else None
    if not _owed(user, device):
        return None
    if device is None or not isinstance(code, str) or not code.strip():
        raise OTPRequired()
    if not device.verify_token(code.strip()):
        # django-axes counts it against the address and the account, as a wrong password.
        user_login_failed.send(
            sender=__name__, credentials={"username": user.email}, request=request
        )
        raise OTPInvalid()
    return device


@transaction.atomic
def enrolment_device(*, user: User, again: bool = False) -> TOTPDevice:
    """The unconfirmed device an administrator enrols: a new one (replacing one never
    confirmed), or `again` (a wrong code was typed) the one being enrolled."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False)
    if again and (device := pending.order_by("-pk").first()) is not None:
        return device
    pending.delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def enrolment_qr(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an SVG data URI, for an authenticator app to scan."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4)


@transaction.atomic
def enrolment_confirm(*, user: User, code: str) -> TOTPDevice:
    """Confirm the administrator's new device with a code from it; OTPInvalid otherwise.
    Earlier devices are removed: one authenticator per administrator."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None or not device.verify_token((code or "").strip()):
        raise OTPInvalid()
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    user_tokens_revoke(user=user)  # tokens minted without the code stop here
    return device


def session_verified(user: User, session) -> bool:
    """Whether a session (a WebSocket's, which django-otp's middleware never sees) gave the
    second factor: it names a confirmed device of the user's, as django_otp.login left it."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.models import Device

    persistent_id = session.get(DEVICE_ID_SESSION_KEY) if session is not None else None
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    return device is not None and device.user_id == user.pk and device.confirmed
