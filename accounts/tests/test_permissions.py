from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.test import APIRequestFactory

from accounts.permissions import IsAdmin, IsAdminOrReadOnly, IsCustomer, IsOwnerOrAdmin
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
        (IsOwnerOrAdmin, "get", {"customer", "admin"}),
    ],
)
def test_permission_matrix(users, permission, method, allowed):
    granted = {
        name
        for name, user in users.items()
        if permission().has_permission(request(method, user), None)
    }
    assert granted == allowed


def test_owner_or_admin_on_objects(users):
    other = UserFactory()
    owned = SimpleNamespace(customer_id=users["customer"].pk)
    view = SimpleNamespace()
    check = IsOwnerOrAdmin().has_object_permission
    assert check(request("get", users["customer"]), view, owned)
    assert check(request("get", users["admin"]), view, owned)
    assert not check(request("get", other), view, owned)


def test_owner_field_is_configurable_and_users_own_themselves(users):
    check = IsOwnerOrAdmin().has_object_permission
    customer = users["customer"]
    view = SimpleNamespace(owner_field="purchaser")
    assert check(request("get", customer), view, SimpleNamespace(purchaser_id=customer.pk))
    assert not check(
        request("get", customer), SimpleNamespace(), SimpleNamespace(purchaser_id=customer.pk)
    )
    assert check(request("get", customer), view, customer)
    assert not check(request("get", customer), view, UserFactory())
