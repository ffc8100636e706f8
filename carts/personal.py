"""The cart in a person's data (accounts/personal_data.py)."""

from accounts.models import User
from accounts.personal_data import Section, register
from carts.models import Cart, CartItem


def _export(user: User) -> list[dict]:
    items = CartItem.objects.filter(cart__customer=user).select_related("product")
    return [
        {"product_id": i.product_id, "product": i.product.name, "quantity": i.quantity}
        for i in items
    ]


register(
    Section(
        "cart",
        (Cart, CartItem),
        export=_export,
        anonymise=lambda user: CartItem.objects.filter(cart__customer=user).delete(),
    )
)
