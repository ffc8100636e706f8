from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import User
from accounts.permissions import is_admin, visible_to
from payments.models import Payment


def payment_list(*, user: User | AnonymousUser) -> QuerySet[Payment]:
    """Payments of a customer's own orders; every payment for an administrator."""
    payments = visible_to(
        Payment.objects.select_related("order"), user=user, owner="order__customer"
    )
    return payments.prefetch_related("log") if is_admin(user) else payments
