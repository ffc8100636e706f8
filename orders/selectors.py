from django.db.models import Prefetch, QuerySet

from accounts.permissions import is_admin
from orders.models import Order, OrderEvent


def order_list(*, user) -> QuerySet[Order]:
    """A customer's own orders; every order for an administrator."""
    orders = Order.objects.select_related("customer", "ticket")
    if is_admin(user):
        return orders
    return orders.filter(customer=user) if user.is_authenticated else orders.none()


def order_detail_queryset(*, user) -> QuerySet[Order]:
    return order_list(user=user).prefetch_related(
        "lines",
        Prefetch("events", queryset=OrderEvent.objects.select_related("by")),
        "payments",  # the payments app's relation, named only as a string here
    )
