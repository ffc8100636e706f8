from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, status, viewsets
from rest_framework.response import Response

from accounts.permissions import IsAdminOrReadOnly
from catalog import selectors, services
from catalog.cache import public_read
from catalog.filters import ProductFilter
from catalog.serializers import CategorySerializer, ProductSerializer, ProductWriteSerializer
from core.exceptions import ErrorSerializer


class CachedReads:
    """List and detail answers are the same for every visitor: the shared cache serves them
    (catalog.cache.PublicReadCacheMiddleware)."""

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        view = super().as_view(actions, **initkwargs)
        if actions and actions.get("get") in ("list", "retrieve"):
            return public_read(view)
        return view


@extend_schema_view(destroy=extend_schema(responses={204: None, 409: ErrorSerializer}))
class CategoryViewSet(CachedReads, viewsets.ModelViewSet):
    """Categories: everyone reads, administrators write."""

    permission_classes = [IsAdminOrReadOnly]
    serializer_class = CategorySerializer
    filter_backends = [filters.SearchFilter]
    search_fields = ["name", "slug"]

    def get_queryset(self):
        return selectors.category_list()

    def perform_create(self, serializer):
        serializer.instance = services.category_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.category_update(
            category=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.category_delete(category=instance)


class ProductViewSet(CachedReads, viewsets.ModelViewSet):
    """Products: everyone reads the active ones, administrators see all and write."""

    permission_classes = [IsAdminOrReadOnly]
    serializer_class = ProductSerializer
    filter_backends = [DjangoFilterBackend, filters.SearchFilter]
    filterset_class = ProductFilter
    search_fields = ["name", "sku", "description"]

    def get_queryset(self):
        return selectors.product_list(user=self.request.user)

    def filter_queryset(self, queryset):
        # Most reads name no filter at all (a page of the catalog): skip building the filter
        # form then, a third of an uncached page's time.
        if self.action == "list" and not (set(self.request.query_params) & self.filter_names):
            return queryset
        return super().filter_queryset(queryset)

    @property
    def filter_names(self) -> set[str]:
        return {*ProductFilter.base_filters, "search", "ordering"}

    def _write(self, request, **kwargs):
        serializer = ProductWriteSerializer(data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=ProductWriteSerializer, responses={201: ProductSerializer})
    def create(self, request, *args, **kwargs):
        product = services.product_create(**self._write(request))
        return Response(self.get_serializer(product).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProductWriteSerializer, responses=ProductSerializer)
    def update(self, request, *args, partial=False, **kwargs):
        product = self.get_object()
        product = services.product_update(product=product, **self._write(request, partial=partial))
        return Response(self.get_serializer(product).data)

    @extend_schema(responses={204: None, 200: ProductSerializer})
    def destroy(self, request, *args, **kwargs):
        """Delete the product, or archive it (200 with the product) when orders refer to it."""
        archived = services.product_delete(product=self.get_object())
        if archived is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(self.get_serializer(archived).data)
