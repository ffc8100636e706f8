"""The errors accounts raises; core.exceptions renders each as {"detail", "code"}."""

from django.utils.translation import gettext_lazy as _
from rest_framework import status

from core.exceptions import ApplicationError, Conflict, TooManyRequests


class InvalidRefreshToken(ApplicationError):
    status_code = status.HTTP_401_UNAUTHORIZED
    code = "token_not_valid"
    message = _("Token is invalid or expired.")


class EmailRegistered(Conflict):
    code = "email_registered"
    message = _("This e-mail belongs to an account: sign in instead.")


class LoginLocked(TooManyRequests):
    code = "login_locked"
    message = _("Too many failed logins; password logins are paused. Try again later.")


class LinkInvalid(ApplicationError):
    code = "link_invalid"
    message = _("This link is not valid: it was altered, used already, or is for another account.")


class LinkExpired(ApplicationError):
    code = "link_expired"
    message = _("This link has expired; ask for a new one.")


class WrongPassword(ApplicationError):
    code = "wrong_password"
    message = _("The current password is not right.")


class CPFLocked(Conflict):
    code = "cpf_locked"
    message = _("The CPF of an account is set once; ask the shop's staff to correct it.")


class OTPRequired(ApplicationError):
    code = "otp_required"
    message = _(
        "Administrators sign in with the code of their authenticator app (otp); one without "
        "an authenticator enrols in the admin first."
    )


class OTPInvalid(ApplicationError):
    code = "otp_invalid"
    message = _("This code is not valid; use the current code of your authenticator app.")
