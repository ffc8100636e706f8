from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet

from accounts.models import User
from accounts.permissions import visible_to
from orders.models import Order, OrderEvent


def order_list(*, user: User | AnonymousUser) -> QuerySet[Order]:
    """A customer's own orders; every order for an administrator."""
    return visible_to(
        Order.objects.select_related("customer", "ticket", "shipping_method"), user=user
    )


def order_detail_queryset(*, user: User | AnonymousUser) -> QuerySet[Order]:
    return order_list(user=user).prefetch_related(
        "lines",
        Prefetch("events", queryset=OrderEvent.objects.select_related("by")),
        "payments",  # the payments app's relation, named only as a string here
    )
