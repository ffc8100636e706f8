"""ASGI entry point: HTTP through Django (flash-sale claims through their lean handler first),
WebSockets through Channels.

Served by uvicorn in `make run`; in production it serves WebSockets (and may serve HTTP).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
django_asgi_app = get_asgi_application()  # sets Django up before consumers are imported

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from accounts.websocket import AuthStack, OriginCheck  # noqa: E402
from config.routing import websocket_urlpatterns  # noqa: E402
from core.middleware import charset_guard_asgi  # noqa: E402
from core.persistence import log_backend  # noqa: E402
from flashsales.asgi import ClaimHandler  # noqa: E402

application = ProtocolTypeRouter(
    {
        # The flash-sale claim path is answered in front of Django; the rest goes through.
        "http": charset_guard_asgi(ClaimHandler(django_asgi_app)),
        "websocket": OriginCheck(AuthStack(URLRouter(websocket_urlpatterns))),
    }
)
log_backend()
