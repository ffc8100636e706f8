"""Orders for tests, bought the way the API buys them: through the customer's cart."""

from accounts.models import User
from carts.services import Purchase, cart_item_add, cart_purchase
from catalog.models import Product
from orders.models import Order


def purchase(customer: User, *lines: tuple[Product, int]) -> Purchase:
    """The customer puts these (product, quantity) lines in the cart and buys it; without
    lines, one unit of a new product."""
    if not lines:
        from catalog.tests.factories import ProductFactory

        lines = ((ProductFactory(), 1),)
    for product, quantity in lines:
        cart_item_add(cart=customer.cart, product_id=product.pk, quantity=quantity)
    return cart_purchase(cart=customer.cart)


def order_for(customer: User, *lines: tuple[Product, int]) -> Order:
    """The order of `purchase(customer, *lines)`."""
    return purchase(customer, *lines).order
