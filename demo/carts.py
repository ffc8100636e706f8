"""Leave the demo customer Maria with a cart ready to purchase."""

from accounts.models import User
from carts.services import cart_get_for_customer, cart_item_add
from catalog.models import Product

READY_CART = [("AIRFRYER-MON", 1), ("HAVAIANAS", 2)]


def seed() -> list[str]:
    customer = User.objects.get(email="maria@shop.localhost")
    cart = cart_get_for_customer(customer=customer)
    if not cart.items.exists():
        for sku, quantity in READY_CART:
            cart_item_add(cart=cart, product_id=Product.objects.get(sku=sku).pk, quantity=quantity)
    return [
        f"cart      maria@shop.localhost has cart {cart.pk} with {cart.items.count()} lines ready to purchase"
    ]
