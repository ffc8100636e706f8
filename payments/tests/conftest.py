import pytest

from carts.services import cart_item_add, cart_purchase
from catalog.tests.factories import ProductFactory
from payments import resilience
from payments.providers import _provider


@pytest.fixture(autouse=True)
def fresh_provider():
    """Each test starts with a closed circuit and an adapter built from its own settings."""
    _provider.cache_clear()
    resilience.breaker.close()
    yield
    _provider.cache_clear()
    resilience.breaker.close()


@pytest.fixture
def place_order():
    def place(customer, product=None, quantity=1):
        product = product or ProductFactory(price="49.90", stock=10)
        cart_item_add(cart=customer.cart, product_id=product.pk, quantity=quantity)
        return cart_purchase(cart=customer.cart).order

    return place
