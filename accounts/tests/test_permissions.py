import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.test import APIRequestFactory

from accounts.permissions import IsAdmin, IsAdminOrReadOnly, IsCustomer
from accounts.tests.factories import AdminFactory, UserFactory

factory = APIRequestFactory()


def request(method, user):
    req = getattr(factory, method)("/")
    req.user = user
    return req


@pytest.fixture
def users(db):
    return {"anonymous": AnonymousUser(), "customer": UserFactory(), "admin": AdminFactory()}


@pytest.mark.parametrize(
    ("permission", "method", "allowed"),
    [
        (IsAdmin, "get", {"admin"}),
        (IsAdmin, "post", {"admin"}),
        (IsCustomer, "post", {"customer"}),
        (IsAdminOrReadOnly, "get", {"anonymous", "customer", "admin"}),
        (IsAdminOrReadOnly, "post", {"admin"}),
        (IsAdminOrReadOnly, "delete", {"admin"}),
    ],
)
def test_permission_matrix(users, permission, method, allowed):
    granted = {
        name
        for name, user in users.items()
        if permission().has_permission(request(method, user), None)
    }
    assert granted == allowed


def test_an_admin_only_refusal_reads_the_same_wherever_it_comes_from():
    assert IsAdminOrReadOnly.message == IsAdmin.message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "anonymous"),
    [
        ("/api/products", 200),
        ("/api/flash-sales", 200),
        ("/api/orders", 401),
        ("/api/orders/1/cancel", 401),
        ("/api/flash-sales/1/claims", 401),
    ],
)
def test_options_describes_an_endpoint_to_whoever_may_use_it(path, anonymous, customer_client):
    """OPTIONS passes the route's own permissions (its action's, on an action route)."""
    from rest_framework.test import APIClient

    assert APIClient().options(path).status_code == anonymous
    assert customer_client.options(path).status_code == 200
