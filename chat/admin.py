from django.contrib import admin

from chat.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only history for moderators: search, read, delete (the only change allowed)."""

    list_display = ["created_at", "email", "message"]
    search_fields = ["email", "message"]
    date_hierarchy = "created_at"
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
