from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import User
from accounts.permissions import is_admin
from catalog.models import Category, Product


def product_list(*, user: User | AnonymousUser) -> QuerySet[Product]:
    """Products the user may see: administrators see archived ones too."""
    products = Product.objects.select_related("category", "event")
    return products if is_admin(user) else products.active()


def category_list() -> QuerySet[Category]:
    return Category.objects.all()
