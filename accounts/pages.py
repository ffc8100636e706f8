"""The pages the account e-mails link to. Opening a link changes nothing (mail scanners and
link previews open links too); the button on the page does, through the same service as
the API."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.errors import LinkExpired, LinkInvalid


@require_http_methods(["GET", "POST"])
def verify_email_page(request):
    token = request.POST.get("token") if request.method == "POST" else request.GET.get("token")
    context = {"token": token or "", "done": False, "error": None}
    if request.method == "POST":
        try:
            context["user"] = services.email_verify(token=token)
            context["done"] = True
        except (LinkInvalid, LinkExpired) as error:
            context["error"] = error.message
    elif not token:
        context["error"] = _("This link has no token; open the link from the e-mail again.")
    status = 400 if context["error"] else 200
    return render(request, "accounts/verify_email.html", context, status=status)
