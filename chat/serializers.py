from rest_framework import serializers


class MessageSerializer(serializers.Serializer):
    """A stored message: `{id, user (e-mail), message, created_at}`."""

    id = serializers.IntegerField(read_only=True)
    user = serializers.EmailField(source="email", read_only=True)
    message = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class MessagePageSerializer(serializers.Serializer):
    """The list shape of every API list; the cursor only pages on to older messages, so
    `previous` is always null."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = MessageSerializer(many=True)
