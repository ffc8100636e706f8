from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet

from accounts.models import User
from accounts.validators import normalize_cpf


def user_list(
    *, email: str | None = None, cpf: str | None = None, role: str | None = None
) -> QuerySet[User]:
    """Return users, optionally filtered by e-mail (substring), CPF (exact) and role."""
    users = User.objects.all()
    if email:
        users = users.filter(email__icontains=email.strip())
    if cpf:
        users = users.filter(cpf=normalize_cpf(cpf))
    if role:
        users = users.filter(role=role)
    return users


def user_cart_id(user: User) -> int | None:
    """Return the id of the customer's open cart; administrators have none.

    Read through the reverse relation the carts app declares, so accounts imports nothing
    of the apps that build on it.
    """
    if not user.is_customer:
        return None
    try:
        return user.cart.pk
    except ObjectDoesNotExist:
        return None
