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
