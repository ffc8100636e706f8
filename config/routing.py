"""WebSocket routes; each app adds its consumers here as it gains them."""

from django.urls import path

from chat.consumers import ChatConsumer
from flashsales.consumers import FlashSaleConsumer
from orders.consumers import OrderStatusConsumer

websocket_urlpatterns: list = [
    path("ws/orders/", OrderStatusConsumer.as_asgi()),
    path("ws/flash-sales/<int:sale_id>/", FlashSaleConsumer.as_asgi()),
    path("ws/chat/", ChatConsumer.as_asgi()),
]
