"""DRF's browsable-API login and logout (rest_framework.urls), with the login form that
leaves administrators who need a second factor to the admin's login."""

from django.contrib.auth import views
from django.urls import path

from accounts.admin_site import PasswordOnlyLoginForm

app_name = "rest_framework"
urlpatterns = [
    path(
        "login/",
        views.LoginView.as_view(
            template_name="rest_framework/login.html", authentication_form=PasswordOnlyLoginForm
        ),
        name="login",
    ),
    path("logout/", views.LogoutView.as_view(), name="logout"),
]
