"""Account e-mails: queued as an AccountMail row in the caller's transaction, sent once after
the commit by a task (core.mail.send_once), and swept by beat if the task was lost.

A link's token is signed when the message is built (accounts/links.py), so a retried send
carries a token as fresh as the account's state.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import links
from accounts.models import AccountMail, User
from core.mail import send_once
from core.tasks import enqueue, sweep_window

# The page each kind's link opens, and the purpose its token is signed for.
_LINKS = {
    AccountMail.Kind.VERIFY_EMAIL: ("account-verify-email", links.VERIFY_EMAIL),
    AccountMail.Kind.PASSWORD_RESET: ("account-password-reset", links.PASSWORD_RESET),
    AccountMail.Kind.EMAIL_CHANGE: ("account-confirm-email", links.EMAIL_CHANGE),
}
_SUBJECTS = {
    AccountMail.Kind.VERIFY_EMAIL: _("Confirm your e-mail address"),
    AccountMail.Kind.PASSWORD_RESET: _("Reset your password"),
    AccountMail.Kind.PASSWORD_CHANGED: _("Your password was changed"),
    AccountMail.Kind.EMAIL_CHANGE: _("Confirm your new e-mail address"),
}


def account_mail_queue(*, user: User, kind: str, to: str | None = None) -> AccountMail:
    """Queue an account e-mail to `to` (the account's address unless told otherwise)."""
    mail = AccountMail.objects.create(user=user, kind=kind, to=to or user.email)
    from accounts.tasks import send_account_mail

    enqueue(send_account_mail, mail.pk)
    return mail


def account_mail_send(*, mail_id: int) -> bool:
    """Send a queued account e-mail once; False if it was sent already."""
    return send_once(
        AccountMail.objects.select_related("user"),
        mail_id,
        stamp="sent_at",
        message=_message,
        language=lambda mail: mail.user.language,
    )


def account_mails_unsent_send() -> int:
    """Send the account e-mails whose task never ran (the broker was down); how many."""
    unsent = AccountMail.objects.filter(sent_at=None, created_at__range=sweep_window())
    return sum(account_mail_send(mail_id=pk) for pk in unsent.values_list("pk", flat=True))


def link_url(kind: str, user: User, *, extra: str = "") -> str:
    page, purpose = _LINKS[kind]
    token = links.link_token(purpose, user, extra=extra)
    return f"{settings.SHOP_URL}{reverse(page)}?token={token}"


def _message(mail: AccountMail) -> EmailMessage | None:
    moved = mail.kind != AccountMail.Kind.EMAIL_CHANGE and mail.to != mail.user.email
    if mail.kind in _LINKS and moved:
        return None  # the account moved to another address since: no link to the old one
    context = {"user": mail.user, "shop_url": settings.SHOP_URL}
    if mail.kind in _LINKS:
        extra = mail.to if mail.kind == AccountMail.Kind.EMAIL_CHANGE else ""
        context["link"] = link_url(mail.kind, mail.user, extra=extra)
        context["hours"] = _LINKS[mail.kind][1].max_age // 3600
    return EmailMessage(
        subject=str(_SUBJECTS[AccountMail.Kind(mail.kind)]),  # now, in the recipient's language
        body=render_to_string(f"accounts/email/{mail.kind}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
    )
