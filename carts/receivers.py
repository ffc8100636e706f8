"""The cart follows its customer: every customer has one, whichever path saved them."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from carts.services import cart_get_for_customer


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="carts-customer-cart")
def give_customers_a_cart(sender, instance, created, update_fields=None, **kwargs):
    """Create the cart with the customer (in the same transaction), or when one becomes one.

    Saves that touch other fields only (the last login) cost nothing here.
    """
    role_may_have_changed = created or update_fields is None or "role" in update_fields
    if instance.is_customer and role_may_have_changed:
        cart_get_for_customer(customer=instance)
