import pytest

from catalog.tests.factories import ProductFactory
from payments import resilience
from payments.providers import _provider
from testing.purchases import order_for


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
        return order_for(customer, (product or ProductFactory(price="49.90", stock=10), quantity))

    return place
