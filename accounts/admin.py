from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import User
from core.exceptions import ApplicationError


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "role", "cpf")


class UserChangeForm(forms.ModelForm):
    """No password field at all: the hash never reaches the page."""

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "role", "cpf", "phone", "is_active")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = (
        "email",
        "first_name",
        "last_name",
        "role",
        "is_guest",
        "cpf",
        "is_active",
        "date_joined",
    )
    list_filter = ("role", "is_guest", "is_active")
    search_fields = ("email", "cpf", "first_name", "last_name")
    ordering = ("email",)
    readonly_fields = (
        "password_change",
        "is_guest",
        "email_verified",
        "last_login",
        "date_joined",
        "anonymised_at",
    )
    fieldsets = (
        (None, {"fields": ("email", "email_verified", "password_change")}),
        ("Personal info", {"fields": ("first_name", "last_name", "cpf", "phone")}),
        ("Access", {"fields": ("role", "is_guest", "is_active")}),
        ("Dates", {"fields": ("last_login", "date_joined", "anonymised_at")}),
    )
    actions = ["erase_personal_data"]

    @admin.action(description=_("Erase the personal data of the selected accounts (LGPD)"))
    def erase_personal_data(self, request, queryset):
        """What DELETE /api/sessions/current does, for staff; after a confirmation page."""
        if request.POST.get("confirmed") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": "Erase personal data",
                "users": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/accounts/user/erase_confirmation.html", context)
        erased = 0
        for user in queryset:
            try:
                erased += services.account_erase(user=user, by_staff=True)
            except ApplicationError as error:
                self.message_user(request, f"{user.email}: {error.message}", messages.ERROR)
        self.message_user(request, f"Erased the personal data of {erased} account(s).")
        return None

    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "first_name",
                    "last_name",
                    "role",
                    "cpf",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    @admin.display(description=_("Password"))
    def password_change(self, user: User) -> str:
        if not user.pk:
            return "-"
        # Django names this URL after auth.User whatever the user model is.
        url = reverse("admin:auth_user_password_change", args=[user.pk])
        return format_html('<a href="{}">Set a new password</a>', url)
