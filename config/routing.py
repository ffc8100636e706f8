"""WebSocket routes; each app adds its consumers here as it gains them."""

from django.urls import path

from orders.consumers import OrderStatusConsumer

websocket_urlpatterns: list = [
    path("ws/orders/", OrderStatusConsumer.as_asgi()),
]
