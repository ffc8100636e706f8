from django.db.models import QuerySet

from accounts.permissions import is_admin
from payments.models import Payment


def payment_list(*, user) -> QuerySet[Payment]:
    """Payments of a customer's own orders; every payment for an administrator."""
    payments = Payment.objects.select_related("order")
    if is_admin(user):
        return payments.prefetch_related("log")
    return payments.filter(order__customer=user) if user.is_authenticated else payments.none()
