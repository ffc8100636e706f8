"""The pages the account e-mails link to. Opening a link changes nothing (mail scanners and
link previews open links too); the button on the page does, through the same service as
the API."""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.errors import EmailRegistered, LinkExpired, LinkInvalid
from accounts.serializers import PasswordResetSerializer
from core.addresses import request_client_address
from core.throttles import rate_allows


def _confirmation_page(request, confirm, title):
    """A link's page: sign in first (the link proves the mailbox, the sign-in the account),
    then a button that confirms (POST), the outcome, or what went wrong."""
    token = request.POST.get("token") if request.method == "POST" else request.GET.get("token")
    signed_in = request.user.is_authenticated and not request.user.is_guest
    context = {
        "token": token or "",
        "done": False,
        "error": None,
        "title": title,
        "signed_in": signed_in,
        "login": f"{reverse('rest_framework:login')}?{urlencode({'next': request.get_full_path()})}",
    }
    if request.method == "POST" and signed_in:
        try:
            context["user"] = confirm(token=token, user=request.user)
            context["done"] = True
        except (LinkInvalid, LinkExpired, EmailRegistered) as error:
            context["error"] = error.message
    elif not token:
        context["error"] = _("This link has no token; open the link from the e-mail again.")
    status = 400 if context["error"] else 200
    return render(request, "accounts/confirm_email.html", context, status=status)


@require_http_methods(["GET", "POST"])
def verify_email_page(request):
    return _confirmation_page(request, services.email_verify, _("Confirm your e-mail address"))


@require_http_methods(["GET", "POST"])
def confirm_email_page(request):
    return _confirmation_page(
        request, services.email_change_confirm, _("Confirm your new e-mail address")
    )


@require_http_methods(["GET", "POST"])
def password_reset_page(request):
    """Without a token: ask for the e-mail address (the link of the password-changed notice
    comes here); with the e-mailed link's token: choose the new password."""
    token = request.POST.get("token") if request.method == "POST" else request.GET.get("token")
    context: dict = {"token": token or "", "step": "choose" if token else "ask", "errors": []}
    if request.method == "POST" and token:
        try:
            services.password_reset_confirm(token=token, password=request.POST.get("password", ""))
            context["step"] = "changed"
        except (LinkInvalid, LinkExpired) as error:
            context.update(step="ask", errors=[error.message])
        except ValidationError as error:
            context["errors"] = [m for messages in error.message_dict.values() for m in messages]
    elif request.method == "POST":
        form = PasswordResetSerializer(data=request.POST)
        if not form.is_valid():
            context["errors"] = [_("Enter a valid e-mail address.")]
        elif not rate_allows(
            "account_mail",
            address=request_client_address(request),
            field="email",
            value=form.validated_data["email"],
        ):
            context.update(errors=[_("Too many requests; wait a while and try again.")], busy=True)
        else:
            services.password_reset_request(**form.validated_data)
            context["step"] = "sent"
    status = 429 if context.get("busy") else 400 if context["errors"] else 200
    return render(request, "accounts/password_reset.html", context, status=status)
