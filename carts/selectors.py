from django.db.models import Prefetch, QuerySet

from accounts.permissions import is_admin
from carts.models import Cart, CartItem


def cart_list(*, user) -> QuerySet[Cart]:
    """Carts the user may read: their own; administrators may read any."""
    carts = Cart.objects.prefetch_related(
        Prefetch("items", queryset=CartItem.objects.select_related("product"))
    )
    if is_admin(user):
        return carts
    return carts.filter(customer=user) if user.is_authenticated else carts.none()
