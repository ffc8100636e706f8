"""Who may do what. The same rules guard WebSocket consumers."""

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

M = TypeVar("M", bound=Model)


def is_admin(user) -> bool:
    """True for a signed-in administrator; False for customers and anonymous visitors."""
    return bool(user and user.is_authenticated and user.is_admin)


def is_registered_customer(user) -> bool:
    """A signed-in customer with an account: who may claim flash-sale units and chat, in the
    API, the pages, the WebSocket and the lean claim handler alike. Guests buy and pay, but
    register first; administrators run the shop."""
    return bool(user and user.is_authenticated and user.is_registered_customer)


def visible_to(rows: QuerySet[M], *, user, owner: str = "customer") -> QuerySet[M]:
    """What `user` may read of `rows`: every row for an administrator, their own for a
    customer (`owner` is the lookup from a row to its customer), none for anyone else. The one
    rule behind every list a customer sees of their carts, orders, payments and tickets."""
    if is_admin(user):
        return rows
    return rows.filter(**{owner: user}) if user and user.is_authenticated else rows.none()


class IsAdmin(BasePermission):
    message = _("Only administrators may do this.")

    def has_permission(self, request, view):
        return is_admin(request.user)


class IsCustomer(BasePermission):
    message = _("Only customers may do this.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_customer)


class IsRegisteredCustomer(BasePermission):
    """A customer with an account: guests buy and pay, but do not claim or chat."""

    message = _("Only customers with an account may do this; guests register first.")

    def has_permission(self, request, view):
        return is_registered_customer(request.user)


class IsAccountHolder(BasePermission):
    """Anyone signed in with an account: administrators and registered customers, no guests."""

    message = _("Only signed-in accounts may do this; guests register first.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and not user.is_guest)


class IsAccountHolderOrReadOnly(BasePermission):
    """Anyone signed in reads; only accounts (not guests) write."""

    message = IsAccountHolder.message

    def has_permission(self, request, view):
        user = request.user
        if request.method in SAFE_METHODS:
            return bool(user and user.is_authenticated)
        return IsAccountHolder().has_permission(request, view)


class IsCustomerOrReadOnly(BasePermission):
    """Anyone signed in may read (what they may see); only customers write."""

    message = IsCustomer.message

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated) and (
            request.method in SAFE_METHODS or user.is_customer
        )


class IsAdminOrReadOnly(BasePermission):
    """Anyone may read; only administrators write."""

    message = IsAdmin.message

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or is_admin(request.user)
