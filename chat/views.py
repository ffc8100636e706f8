from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from accounts.permissions import IsAccountHolder, is_registered_customer
from chat import selectors
from chat.serializers import MessagePageSerializer, MessageSerializer
from core.ids import MAX_ID
from core.pagination import whole_number


class MessageListView(APIView):
    """`GET /api/chat/messages`: the history, newest first, a page at a time; `next` pages
    on to older messages (`before` = the oldest id of this page)."""

    permission_classes = [IsAccountHolder]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "before",
                {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                description="Only messages older than this id (the `next` link sets it).",
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": 100},
                description="Messages per page (default 50).",
            ),
        ],
        responses=MessagePageSerializer,
    )
    def get(self, request):
        params = request.query_params
        size = whole_number(params["page_size"], "page_size", 100) if "page_size" in params else 50
        before = whole_number(params["before"], "before", MAX_ID) if "before" in params else None
        messages = selectors.messages_before(before=before, limit=size + 1)
        more, messages = len(messages) > size, messages[:size]
        url = request.build_absolute_uri()
        return Response(
            {
                "count": selectors.message_count(),
                "next": replace_query_param(url, "before", messages[-1].pk) if more else None,
                "previous": None,
                "results": MessageSerializer(messages, many=True).data,
            }
        )


@login_required
@ensure_csrf_cookie
def chat_page(request):
    return render(request, "chat/chat.html", {"can_send": is_registered_customer(request.user)})
