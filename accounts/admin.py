from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.urls import reverse
from django.utils.html import format_html

from accounts.models import User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "role", "cpf")


class UserChangeForm(forms.ModelForm):
    """No password field at all: the hash never reaches the page."""

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "role", "cpf", "is_active")


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
    readonly_fields = ("password_change", "is_guest", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password_change")}),
        ("Personal info", {"fields": ("first_name", "last_name", "cpf")}),
        ("Access", {"fields": ("role", "is_guest", "is_active")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
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

    @admin.display(description="Password")
    def password_change(self, user: User) -> str:
        if not user.pk:
            return "-"
        # Django names this URL after auth.User whatever the user model is.
        url = reverse("admin:auth_user_password_change", args=[user.pk])
        return format_html('<a href="{}">Set a new password</a>', url)
