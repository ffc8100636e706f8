from rest_framework import serializers

from chat.live import author_name


class MessageSerializer(serializers.Serializer):
    """A stored message: `{id, user (the author's display name), user_id, message,
    created_at}`; the author's e-mail is never shown."""

    id = serializers.IntegerField(read_only=True)
    user = serializers.SerializerMethodField()
    user_id = serializers.IntegerField(read_only=True, allow_null=True)
    message = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def get_user(self, message) -> str:
        return author_name(message)


class MessagePageSerializer(serializers.Serializer):
    """The list shape of every API list; the cursor only pages on to older messages, so
    `previous` is always null."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = MessageSerializer(many=True)
