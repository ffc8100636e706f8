from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet

from accounts.models import User
from accounts.permissions import visible_to
from carts.models import Cart, CartItem


def cart_list(*, user: User | AnonymousUser) -> QuerySet[Cart]:
    """Carts the user may read: their own; administrators may read any."""
    carts = Cart.objects.prefetch_related(
        Prefetch("items", queryset=CartItem.objects.select_related("product__event"))
    )
    return visible_to(carts, user=user)
