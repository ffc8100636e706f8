"""ASGI entry point: HTTP through Django, WebSockets through Channels.

Served by uvicorn in `make run`; in production it serves WebSockets (and may serve HTTP).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
django_asgi_app = get_asgi_application()  # sets Django up before consumers are imported

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from accounts.websocket import AuthStack, OriginCheck  # noqa: E402
from config.persistence import log_backend  # noqa: E402
from config.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": OriginCheck(AuthStack(URLRouter(websocket_urlpatterns))),
    }
)
log_backend()
