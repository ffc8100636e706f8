from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from catalog.models import Category, Event, Product, event_of
from core.moments import check_moment_year, moment

MAX_STOCK = 2_147_483_647  # fits an integer column on every backend


class CategorySerializer(serializers.ModelSerializer):
    slug = serializers.SlugField(max_length=140, required=False)

    class Meta:
        model = Category
        fields = ["id", "name", "slug"]


class EventSerializer(serializers.ModelSerializer):
    """The event part of a product: `{starts_at, ends_at, venue}`."""

    class Meta:
        model = Event
        fields = ["starts_at", "ends_at", "venue"]


class ProductSerializer(serializers.ModelSerializer):
    """What the shop shows of a product; `event` is null unless the product is an event."""

    category = CategorySerializer(read_only=True)
    in_stock = serializers.BooleanField(read_only=True)
    event = EventSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "slug",
            "sku",
            "description",
            "price",
            "stock",
            "in_stock",
            "category",
            "is_active",
            "image",
            "created_at",
            "updated_at",
            "event",
        ]
        read_only_fields = fields

    def to_representation(self, product):
        # The same fields, formats and order as ModelSerializer's, built directly: DRF's
        # per-field loop, and even building the fields once per request, were most of an
        # uncached catalog page's CPU (test_serializers pins the equality with the generic form).
        category, event = product.category, event_of(product)
        return {
            "id": product.pk,
            "name": product.name,
            "slug": product.slug,
            "sku": product.sku,
            "description": product.description,
            "price": _PRICE.to_representation(product.price),
            "stock": product.stock,
            "in_stock": product.stock > 0,
            "category": {"id": category.pk, "name": category.name, "slug": category.slug},
            "is_active": product.is_active,
            "image": self._image_url(product.image),
            "created_at": moment(product.created_at),
            "updated_at": moment(product.updated_at),
            "event": None
            if event is None
            else {
                "starts_at": moment(event.starts_at),
                "ends_at": moment(event.ends_at),
                "venue": event.venue,
            },
        }

    def _image_url(self, image) -> str | None:
        # As DRF's ImageField renders it: absolute when the request is known.
        if not image:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(image.url) if request is not None else image.url


# The formats ModelSerializer derives from the model's fields, built once.
_PRICE = serializers.DecimalField(max_digits=12, decimal_places=2)


class EventWriteSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(validators=[check_moment_year])
    ends_at = serializers.DateTimeField(
        required=False, allow_null=True, validators=[check_moment_year]
    )
    venue = serializers.CharField(max_length=200)

    def validate(self, attrs):
        if attrs.get("ends_at") is not None and attrs["ends_at"] <= attrs["starts_at"]:
            raise serializers.ValidationError({"ends_at": [_("An event ends after it starts.")]})
        return attrs


class ProductWriteSerializer(serializers.Serializer):
    """What an administrator may send to create or change a product (`event`: make it an
    event, change its event part, or null to make it an ordinary product again)."""

    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=220, required=False)
    sku = serializers.CharField(max_length=64)
    description = serializers.CharField(required=False, allow_blank=True)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    stock = serializers.IntegerField(min_value=0, max_value=MAX_STOCK, required=False)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all())
    is_active = serializers.BooleanField(required=False)
    image = serializers.ImageField(required=False, allow_null=True)
    event = EventWriteSerializer(required=False, allow_null=True)
