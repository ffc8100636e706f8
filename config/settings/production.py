"""Production: PostgreSQL + Redis, behind a TLS-terminating proxy. Refuses an unsafe start."""

import re

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, REDIS_URL, TEMPLATES, env, with_demo

PRODUCTION = True
# The demo data exists only where it is asked for; its passwords are random there, printed
# once by seed_demo, never shown on a page.
if env.bool("SEED_DEMO", default=False):
    INSTALLED_APPS = with_demo(INSTALLED_APPS, TEMPLATES, logins_on_pages=False)

# A value copied from an example (deploy/k8s/secret.yaml.example) is no secret: a cluster
# applied as is would accept anyone's HS256 token signed with the published SECRET_KEY.
_PLACEHOLDER = re.compile(r"replace[-_ ]?(me|with)|change[-_ ]?me|your[-_ ]secret", re.IGNORECASE)
for _name in (
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "METRICS_TOKEN",
    "MERCADOPAGO_ACCESS_TOKEN",
    "MERCADOPAGO_WEBHOOK_SECRET",
    "SANDBOX_WEBHOOK_SECRET",
):
    if _PLACEHOLDER.search(env(_name, default="")):
        raise ImproperlyConfigured(f"{_name} is still an example's placeholder; set a real value.")
# A bearer token anyone may guess opens /metrics (order and payment counts) to the world.
if 0 < len(env("METRICS_TOKEN", default="")) < 32:
    raise ImproperlyConfigured("METRICS_TOKEN must be at least 32 random characters (or unset).")

SECRET_KEY = env("SECRET_KEY", default="")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production."
    )

# Staff sign in with a second factor in production unless told otherwise.
STAFF_REQUIRE_2FA = env.bool("STAFF_REQUIRE_2FA", default=True)

# The links of account e-mails (verification, password reset) must open the real shop.
if not env("SHOP_URL", default=""):
    raise ImproperlyConfigured("SHOP_URL must be set in production: the shop's public address.")

# Production runs several worker processes; rate limits, the logout denylist, the channel
# layer and the Celery broker must be shared by all of them, which a per-process cache is not.
if not REDIS_URL:
    raise ImproperlyConfigured(
        "REDIS_URL must be set in production: throttles, the logout denylist, WebSocket "
        "groups and Celery are shared by every worker process through Redis."
    )

# The sandbox settles any order its payer asks it to (`.../sandbox/pix/{id}/pay`, test cards):
# only a throw-away shop (make run-prod, the tests, the benchmarks) may run it here.
if env("PAYMENT_PROVIDER", default="sandbox") == "sandbox" and not env.bool(
    "ALLOW_SANDBOX_PAYMENTS", default=False
):
    raise ImproperlyConfigured(
        "PAYMENT_PROVIDER is the sandbox, which lets customers pay their own orders: set "
        "PAYMENT_PROVIDER=mercadopago (or ALLOW_SANDBOX_PAYMENTS=true for a throw-away shop)."
    )
if env("PAYMENT_PROVIDER", default="sandbox") == "mercadopago" and not (
    env("MERCADOPAGO_ACCESS_TOKEN", default="") and env("MERCADOPAGO_WEBHOOK_SECRET", default="")
):
    raise ImproperlyConfigured(
        "PAYMENT_PROVIDER=mercadopago needs MERCADOPAGO_ACCESS_TOKEN and MERCADOPAGO_WEBHOOK_SECRET."
    )

DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^health/"]
# Off only where the shop is served over plain HTTP on loopback (`make run-prod`).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
