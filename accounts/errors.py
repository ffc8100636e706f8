"""The errors accounts raises; core.exceptions renders each as {"detail", "code"}."""

from rest_framework import status

from core.exceptions import ApplicationError, Conflict, TooManyRequests


class InvalidRefreshToken(ApplicationError):
    status_code = status.HTTP_401_UNAUTHORIZED
    code = "token_not_valid"
    message = "Token is invalid or expired."


class EmailRegistered(Conflict):
    code = "email_registered"
    message = "This e-mail belongs to an account: sign in instead."


class LoginLocked(TooManyRequests):
    code = "login_locked"
    message = "Too many failed logins; password logins are paused. Try again later."


class LinkInvalid(ApplicationError):
    code = "link_invalid"
    message = "This link is not valid: it was altered, used already, or is for another account."


class LinkExpired(ApplicationError):
    code = "link_expired"
    message = "This link has expired; ask for a new one."


class WrongPassword(ApplicationError):
    code = "wrong_password"
    message = "The current password is not right."


class CPFLocked(Conflict):
    code = "cpf_locked"
    message = "The CPF of an account is set once; ask the shop's staff to correct it."


class OTPRequired(ApplicationError):
    code = "otp_required"
    message = (
        "Administrators sign in with the code of their authenticator app (otp); one without "
        "an authenticator enrols in the admin first."
    )


class OTPInvalid(ApplicationError):
    code = "otp_invalid"
    message = "This code is not valid; use the current code of your authenticator app."
