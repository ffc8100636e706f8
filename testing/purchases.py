"""Orders for tests, bought the way the API buys them: through the customer's cart."""

from accounts.models import User
from carts.services import Purchase, cart_item_add, cart_purchase
from catalog.models import Product
from delivery.models import Address, ShippingMethod
from orders.checkout import Checkout
from orders.models import Order

# A Correios code whose check digit is right (UPU S10).
TRACKING = ("correios", "AA123456785BR")


def free_delivery(customer: User) -> Checkout:
    """Free delivery to the customer's address (one is added if they have none): an order
    placed with it pays as its lines add up, and is shipped before it is delivered."""
    method, _ = ShippingMethod.objects.get_or_create(
        name="Test delivery", defaults={"kind": "delivery", "price": 0}
    )
    address = Address.objects.filter(customer=customer).first() or Address.objects.create(
        customer=customer,
        recipient_name="Maria Silva",
        cep="01310100",
        street="Avenida Paulista",
        number="1000",
        district="Bela Vista",
        city="São Paulo",
        state="SP",
        is_default=True,
    )
    return Checkout(address_id=address.pk, shipping_method_id=method.pk)


def store_pickup() -> dict:
    """A purchase body that picks the order up at the store (no address, no fee)."""
    method, _ = ShippingMethod.objects.get_or_create(
        name="Test pickup", defaults={"kind": "pickup", "price": 0}
    )
    return {"shipping_method_id": method.pk}


def purchase(
    customer: User, *lines: tuple[Product, int], checkout: Checkout | None = None
) -> Purchase:
    """The customer puts these (product, quantity) lines in the cart and buys it, with free
    delivery unless `checkout` says otherwise (Checkout() for none); without lines, one unit
    of a new product."""
    if not lines:
        from catalog.tests.factories import ProductFactory

        lines = ((ProductFactory(), 1),)
    for product, quantity in lines:
        cart_item_add(cart=customer.cart, product_id=product.pk, quantity=quantity)
    if checkout is None and any(getattr(p, "event", None) is None for p, _ in lines):
        checkout = free_delivery(customer)
    return cart_purchase(cart=customer.cart, checkout=checkout)


def order_for(customer: User, *lines: tuple[Product, int], **options) -> Order:
    """The order of `purchase(customer, *lines)`."""
    return purchase(customer, *lines, **options).order
