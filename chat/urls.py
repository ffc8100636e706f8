from django.urls import path

from chat.views import MessageListView

urlpatterns = [
    path("chat/messages", MessageListView.as_view(), name="chat-messages"),
]
