from django.db.models import Count, QuerySet

from catalog.models import Category, Product


def product_list(*, user) -> QuerySet[Product]:
    """Products the user may see: administrators see archived ones too."""
    products = Product.objects.select_related("category")
    if not (user.is_authenticated and user.is_admin):
        products = products.active()
    return products


def category_list() -> QuerySet[Category]:
    return Category.objects.all()


def category_list_with_counts() -> QuerySet[Category]:
    return Category.objects.annotate(product_count=Count("products"))
