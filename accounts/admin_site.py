"""The admin site: Django's, asking administrators for their second factor
(accounts/second_factor.py) at the login and sending one who must enrol to enrolment."""

import django_otp
from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from accounts import second_factor
from accounts.errors import OTPInvalid, OTPRequired


class SecondFactorLoginForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label=_("Authenticator code"),
        required=False,
        max_length=16,
        help_text=_("Administrators with an authenticator app: its current code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and not second_factor.needs_enrolment(user):
            try:
                device = second_factor.second_factor_check(
                    user=user, code=cleaned.get("otp_token"), request=self.request
                )
            except (OTPRequired, OTPInvalid) as error:
                raise forms.ValidationError(error.message, code=error.code) from error
            if device is not None:
                user.otp_device = device  # django-otp marks the session verified at login
        return cleaned


class PasswordOnlyLoginForm(AuthenticationForm):
    """The login of the shop's pages and the browsable API (a password, no code): it takes
    no administrator who needs a second factor; they sign in at the admin's login."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if second_factor.needs_second_factor(user):
            raise forms.ValidationError(
                _("Administrators sign in at /admin/login/ with their authenticator code."),
                code="otp_required",
            )


class ShopAdminSite(admin.AdminSite):
    login_form = SecondFactorLoginForm
    login_template = "accounts/admin/login.html"

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        user = request.user
        return user.is_verified() or not second_factor.needs_second_factor(user)

    def login(self, request, extra_context=None):
        user = request.user
        if user.is_authenticated and second_factor.needs_enrolment(user):
            return redirect("admin:otp-enrol")
        return super().login(request, extra_context)

    def get_urls(self):
        return [
            path("otp/enrol/", self.enrol_view, name="otp-enrol"),
            *super().get_urls(),
        ]

    def enrol_view(self, request):
        """Scan the QR code into an authenticator app, then confirm with a code from it."""
        user = request.user
        staff = user.is_authenticated and user.is_active and getattr(user, "is_admin", False)
        # Replacing an authenticator takes the current one: sign in with its code first.
        if not staff or (second_factor.staff_device(user) is not None and not user.is_verified()):
            return redirect(f"{reverse('admin:login')}?next={request.path}")
        error = None
        if request.method == "POST":
            try:
                device = second_factor.enrolment_confirm(
                    user=user, code=request.POST.get("otp_token", "")
                )
            except OTPInvalid as exc:
                error = exc.message
            else:
                django_otp.login(request, device)
                return redirect("admin:index")
        device = second_factor.enrolment_device(user=user, again=error is not None)
        context = {
            **self.each_context(request),
            "title": _("Set up your authenticator"),
            "qr": second_factor.enrolment_qr(device),
            "secret": device.config_url.split("secret=")[1].split("&")[0],
            "error": error,
        }
        return TemplateResponse(request, "accounts/admin/otp_enrol.html", context)
