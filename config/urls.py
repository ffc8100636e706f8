from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.pages import confirm_email_page, password_reset_page, verify_email_page
from chat.views import chat_page
from flashsales.pages import sale_page
from ops import health
from ops.metrics import metrics
from storefront.views import home_page

urlpatterns = [
    path("", home_page, name="home"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the pages' switch
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("metrics", metrics, name="metrics"),
    path("api/schema", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, as the CSP requires.
    path("api/docs", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("api/", include("accounts.urls")),
    path("api/", include("catalog.urls")),
    path("api/", include("delivery.urls")),
    path("api/", include("carts.urls")),
    path("api/", include("orders.urls")),
    path("api/", include("tickets.urls")),
    path("api/", include("payments.urls")),
    path("api/", include("flashsales.urls")),
    path("api/", include("chat.urls")),
    path("api-auth/", include("accounts.api_auth_urls")),
    path("flash-sales/<int:sale_id>", sale_page, name="flash-sale-page"),
    path("chat/", chat_page, name="chat-page"),
    path("account/verify-email", verify_email_page, name="account-verify-email"),
    path("account/password-reset", password_reset_page, name="account-password-reset"),
    path("account/confirm-email", confirm_email_page, name="account-confirm-email"),
]

if settings.DEBUG:  # production serves uploads from the web server or object storage
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
