"""Settings shared by every environment; every knob comes from the environment.

The defaults are the embedded mode: SQLite, local-memory cache, in-memory channel layer,
Celery tasks run eagerly. Setting REDIS_URL switches cache, channel layer and broker to Redis.
"""

import base64
import hashlib
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_HASHES
from django.utils.translation import gettext_lazy as _
from django_guid.integrations import CeleryIntegration

from core.persistence import database_config, default_sqlite_url

BASE_DIR = Path(__file__).resolve().parents[2]
env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

SECRET_KEY = env("SECRET_KEY", default="django-insecure-embedded-mode-only-never-in-production")
DEBUG = env.bool("DEBUG", default=False)
# True under config.settings.production: demo data and sandbox payments must be asked for there.
PRODUCTION = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "accounts.admin_config.ShopAdminConfig",  # Django's admin, on the site that asks staff for TOTP
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt",  # its messages' translations
    "rest_framework_simplejwt.token_blacklist",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "csp",
    "django_guid",
    "django_prometheus",
    "accounts",
    "catalog",
    "delivery",
    "idempotency",
    "carts",
    "orders",
    "tickets",
    "payments",
    "flashsales",
    "chat",
    "storefront",
]

MIDDLEWARE = [
    # The request id (nginx's X-Request-ID, else a new one) for every log line and task.
    "django_guid.middleware.guid_middleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Then: a visitor's cached catalog read is answered before anything else runs.
    "catalog.cache.PublicReadCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "core.middleware.UrlGuardMiddleware",
    "core.middleware.EmbeddedBeatMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out form login into its lockout answer.
    "axes.middleware.AxesMiddleware",
    # Only observes: the request's view, status and time, after everything else.
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]


def with_demo(
    installed_apps: list[str], templates: list[dict], *, logins_on_pages: bool
) -> list[str]:
    """The apps with the demo data's (`seed_demo`); with `logins_on_pages`, where the demo
    passwords are public (local, tests), the home page shows the demo logins too."""
    if logins_on_pages:
        processors = templates[0]["OPTIONS"]["context_processors"]
        processors.append("demo.context_processors.demo_logins")
    return [*installed_apps, "demo"]


def _csp_hash(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'"


# Pages (admin, Swagger UI, browsable API, the shop's own) load scripts and styles from this
# origin only: nothing from a CDN, no inline script but the few fixed snippets of the
# third-party pages below, allowed by their hash (a new version that changes one is caught
# by config/tests/test_pages.py in a real browser).
CSP_INLINE_SCRIPTS = [
    _csp_hash('document.getElementById("logoutForm").submit()'),  # browsable API: log out
]
CSP_INLINE_STYLES = [
    _csp_hash("float: right; margin-right: 10px"),  # browsable API: the filters button
    _csp_hash("width: 350px"),  # browsable API: the search box
    # browsable API's login page
    _csp_hash("margin-top: 30px"),
    _csp_hash("width: 320px; margin-left: auto; margin-right: auto"),
    _csp_hash("margin: 0 0 20px;"),
    _csp_hash("border: none"),
    "'sha256-1kn+agGaGZdaFPNbx228buXQB9KXcy9RVE6NMUiW4SQ='",  # browsable API: pygments <style>
    "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='",  # Swagger UI page: its <style>
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_HASHES, *CSP_INLINE_SCRIPTS],
        "style-src": [SELF, UNSAFE_HASHES, *CSP_INLINE_STYLES],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Powerful browser features no page of the shop uses are switched off for every page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "browsing-topics",
    ]
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            # `{% load money %}`: amounts as people read them (core/money.py).
            "libraries": {"money": "core.templatetags.money"},
        },
    },
]

# Persistence: chosen by DATABASE_URL (or manage.py --persistence / --database-url).
DATABASES = {
    "default": database_config(
        env("DATABASE_URL", default=default_sqlite_url()),
        conn_max_age=env.int("DB_CONN_MAX_AGE", default=60),
        sqlite_timeout=env.int("SQLITE_BUSY_TIMEOUT", default=20),
        health_checks=env.bool("DB_HEALTH_CHECKS", default=False),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# E-mail is unique among accounts, not among guests (who have no password); logins look up
# accounts only (accounts.managers.UserManager.get_by_natural_key).
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
# After a session login on the browsable API's form: show who is signed in.
LOGIN_REDIRECT_URL = "/api/sessions/current"
# Pages that need a signed-in user (the chat) send visitors to the session login form.
LOGIN_URL = "/api-auth/login/"
# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password guessing (accounts/lockout.py): LOGIN_FAILURE_LIMIT failures from one address, or
# against one account, pause that address's or account's password logins for
# LOGIN_LOCKOUT_MINUTES. The same limit covers the API, the admin and the browsable API.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
# A stranger's attempts during a lockout do not prolong it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "accounts.lockout.username"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Logs name the address and path; the e-mail stays in the admin's access-attempt list.
AXES_SENSITIVE_PARAMETERS = ["username"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Brazilian Portuguese first, English the alternative: pages and the API follow the
# request (a language cookie set by the switch, else Accept-Language), e-mails the
# recipient's `language`. Codes, statuses and field names are never translated.
LANGUAGE_CODE = "pt-br"
LANGUAGES = [("pt-br", _("Brazilian Portuguese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Sao_Paulo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Visitors' catalog reads are served from the cache for this long (stock figures may be
# that old; administrators' changes are seen at once). 0 turns the cache off.
CATALOG_CACHE_SECONDS = env.int("CATALOG_CACHE_SECONDS", default=2)

# Back office: products at or below this stock show as "low" in the admin.
LOW_STOCK_THRESHOLD = env.int("LOW_STOCK_THRESHOLD", default=5)

# Orders: how long an order awaits payment before it expires and its stock goes back.
ORDER_HOLD_MINUTES = env.int("ORDER_HOLD_MINUTES", default=30)
# Fulfilment: the carriers a shipped order may name, each with the page that tracks a code
# ({code} is replaced). A Correios code's UPU S10 check digit is verified.
CARRIER_TRACKING_URLS = env.json(
    "CARRIER_TRACKING_URLS",
    default={
        "correios": "https://rastreamento.correios.com.br/app/index.php?objetos={code}",
        "jadlog": "https://www.jadlog.com.br/jadlog/tracking?cte={code}",
        "loggi": "https://www.loggi.com/rastreador/{code}",
    },
)

# Payments: the provider adapter (sandbox | mercadopago) and how its calls are guarded.
PAYMENT_PROVIDER = env("PAYMENT_PROVIDER", default="sandbox")
PAYMENT_PROVIDER_TIMEOUT = env.float("PAYMENT_PROVIDER_TIMEOUT", default=10.0)
PAYMENT_RETRY_ATTEMPTS = env.int("PAYMENT_RETRY_ATTEMPTS", default=3)
PAYMENT_RETRY_SECONDS = env.float("PAYMENT_RETRY_SECONDS", default=15.0)
PAYMENT_BREAKER_FAILURES = env.int("PAYMENT_BREAKER_FAILURES", default=5)
PAYMENT_BREAKER_RESET_SECONDS = env.int("PAYMENT_BREAKER_RESET_SECONDS", default=30)
# Pix: the receiver as the BR Code names it (folded to ASCII, at most 25 and 15 characters).
PIX_MERCHANT_NAME = env("PIX_MERCHANT_NAME", default="Loja Black Friday")
PIX_MERCHANT_CITY = env("PIX_MERCHANT_CITY", default="Sao Paulo")
PIX_KEY = env("PIX_KEY", default="pix@shop.localhost")
SANDBOX_WEBHOOK_SECRET = env(
    "SANDBOX_WEBHOOK_SECRET", default=hashlib.sha256(f"sandbox:{SECRET_KEY}".encode()).hexdigest()
)
MERCADOPAGO_ACCESS_TOKEN = env("MERCADOPAGO_ACCESS_TOKEN", default="")
MERCADOPAGO_WEBHOOK_SECRET = env("MERCADOPAGO_WEBHOOK_SECRET", default="")
MERCADOPAGO_API_URL = env("MERCADOPAGO_API_URL", default="https://api.mercadopago.com")

# CEP lookup (GET /api/cep/{cep}): the provider adapter (viacep | none) and its guard. A
# CEP's address rarely changes, so an answer is kept for CEP_CACHE_SECONDS.
CEP_PROVIDER = env("CEP_PROVIDER", default="viacep")
VIACEP_URL = env("VIACEP_URL", default="https://viacep.com.br/ws")
CEP_TIMEOUT = env.float("CEP_TIMEOUT", default=2.0)
CEP_CACHE_SECONDS = env.int("CEP_CACHE_SECONDS", default=30 * 24 * 3600)
CEP_RETRY_ATTEMPTS = env.int("CEP_RETRY_ATTEMPTS", default=2)
CEP_RETRY_SECONDS = env.float("CEP_RETRY_SECONDS", default=5.0)
CEP_BREAKER_FAILURES = env.int("CEP_BREAKER_FAILURES", default=5)
CEP_BREAKER_RESET_SECONDS = env.int("CEP_BREAKER_RESET_SECONDS", default=30)

# Carts: the most units of one product a cart line may hold.
CART_MAX_QUANTITY = env.int("CART_MAX_QUANTITY", default=10)
# Chat: at most this many messages per user in this many seconds (counted in the cache).
CHAT_RATE_MESSAGES = env.int("CHAT_RATE_MESSAGES", default=5)
CHAT_RATE_SECONDS = env.int("CHAT_RATE_SECONDS", default=5)
# Idempotency keys are kept this long; a request that died holding its key loses it after the lease.
IDEMPOTENCY_KEY_TTL_HOURS = env.int("IDEMPOTENCY_KEY_TTL_HOURS", default=24)
IDEMPOTENCY_LEASE_SECONDS = env.int("IDEMPOTENCY_LEASE_SECONDS", default=60)

# Redis switches cache, channel layer, Celery broker and the flash-sale gate.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that stops answering fails a request within seconds, never hangs it.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            # Pub/sub: a group message is published once and each process hands it to its own
            # members, instead of one copy per member in Redis (channels_redis#83, #62), which
            # does not hold for thousands watching a flash-sale drop.
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
# Embedded mode: one process, nothing else to run (`make run`); the home page shows demo logins.
EMBEDDED = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Embedded mode (no broker): queued tasks run on a background thread, not in the request.
TASKS_IN_BACKGROUND = True
CELERY_TIMEZONE = TIME_ZONE
# At least once: a task is acknowledged when it has run, so a task whose worker process dies
# goes back on the queue (reject_on_worker_lost), and one whose whole worker vanished is
# redelivered after the visibility timeout. Tasks are idempotent (core/mail.py for e-mail).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=300)
}
CELERY_BEAT_SCHEDULE = {
    "expire-orders": {"task": "orders.tasks.expire_orders", "schedule": 30.0},
    "close-flash-sales": {"task": "flashsales.tasks.close_flash_sales", "schedule": 60.0},
    "reconcile-flash-sale-gates": {
        "task": "flashsales.tasks.reconcile_flash_sale_gates",
        "schedule": 30.0,
    },
    "retry-due-refunds": {"task": "payments.tasks.retry_due_refunds", "schedule": 60.0},
    # E-mails whose task was lost to a broker outage after the commit (core/tasks.py).
    "send-unsent-ticket-emails": {
        "task": "tickets.tasks.send_unsent_ticket_emails",
        "schedule": 60.0,
    },
    "send-unsent-payment-confirmations": {
        "task": "payments.tasks.send_unsent_payment_confirmations",
        "schedule": 60.0,
    },
    "send-unsent-account-mails": {
        "task": "accounts.tasks.send_unsent_account_mails",
        "schedule": 60.0,
    },
    "send-unsent-shipped-emails": {
        "task": "orders.tasks.send_unsent_shipped_emails",
        "schedule": 60.0,
    },
    "purge-fiscal-records": {"task": "orders.tasks.purge_fiscal_records", "schedule": 86400.0},
    "purge-denied-tokens": {"task": "accounts.tasks.purge_denied_tokens", "schedule": 3600.0},
    "purge-idempotency-keys": {
        "task": "idempotency.tasks.purge_idempotency_keys",
        "schedule": 3600.0,
    },
}

# The shop's public address, for the links of its e-mails (no request to take it from).
SHOP_URL = env("SHOP_URL", default="http://localhost:8000").rstrip("/")
# Administrators must sign in with a second factor (TOTP); one without a device is sent to
# enrolment first. Once an administrator has a device it is asked for whatever this says.
STAFF_REQUIRE_2FA = env.bool("STAFF_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Shop")
# How long a paid order keeps its buyer's name and CPF once the account is erased (LGPD
# erasure stops where fiscal law requires keeping them).
FISCAL_RETENTION_YEARS = env.int("FISCAL_RETENTION_YEARS", default=5)
# How long the links of account e-mails work.
EMAIL_VERIFY_HOURS = env.float("EMAIL_VERIFY_HOURS", default=72)
PASSWORD_RESET_HOURS = env.float("PASSWORD_RESET_HOURS", default=2)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Shop <no-reply@shop.localhost>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.JWTAuthentication",
        "accounts.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # No default filter backends: a view that has filters names them (catalog, orders).
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PageNumberPagination",
    "PAGE_SIZE": env.int("API_PAGE_SIZE", default=20),
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.exceptions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "login": env("THROTTLE_LOGIN", default="30/min"),
        "register": env("THROTTLE_REGISTER", default="10/min"),
        "claim": env("THROTTLE_CLAIM", default="20/min"),
        "claim_address": env("THROTTLE_CLAIM_ADDRESS", default="300/min"),
        # Account e-mails asked for (verification resends, password resets), per client
        # address and per e-mail address.
        "account_mail": env("THROTTLE_ACCOUNT_MAIL", default="5/hour"),
        # CEP lookups per client address: a checkout asks a few; more is enumeration.
        "cep": env("THROTTLE_CEP", default="30/min"),
    },
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "SIGNING_KEY": env("JWT_SIGNING_KEY", default=SECRET_KEY),
    "TOKEN_OBTAIN_SERIALIZER": "accounts.serializers.LoginSerializer",
    "TOKEN_VERIFY_SERIALIZER": "accounts.authentication.TokenVerifySerializer",
    "TOKEN_REFRESH_SERIALIZER": "accounts.authentication.TokenRefreshSerializer",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Shop API",
    "DESCRIPTION": (
        "Commerce back end: accounts, catalog, carts, orders, payments, flash sales. "
        "Human-readable texts (`detail`, validation messages) follow `Accept-Language`: "
        "Brazilian Portuguese (`pt-BR`, the default) or English (`en`). Codes, statuses, "
        'field names and amounts (`"1299.90"`) never change with the language.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "orders.models.Order.Status",
        "StateEnum": "localflavor.br.br_states.STATE_CHOICES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.forbid_nul_in_strings",
    ],
}

# GET /metrics (ops/metrics.py): the internal network, or this token as a Bearer token.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
# Requests, queries and the business counters go to Prometheus; django-prometheus's own
# export view is not used (ops/metrics.py adds the access rule and the gate's state).
PROMETHEUS_EXPORT_MIGRATIONS = False

# Every log line carries the request id: nginx's X-Request-ID (or a new one when the
# request did not come through nginx), handed on to the Celery tasks the request queues.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    # nginx's $request_id is 32 hex digits, not a UUID4; its value is kept as given.
    "VALIDATE_GUID": False,
    "UUID_LENGTH": 32,
    "INTEGRATIONS": [CeleryIntegration(use_django_logging=True, log_parent=True)],
}

LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "django_guid.log_filters.CorrelationId"},
        "task": {"()": "django_guid.integrations.celery.log_filters.CeleryTracing"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(correlation_id)s %(celery_parent_id)s "
            "%(celery_current_id)s %(message)s",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
                "correlation_id": "request_id",
            },
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id", "task"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "core": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "ops": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django_guid": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
