"""The errors orders raises; core.exceptions renders each as {"detail", "code"}."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import Conflict


class IllegalTransition(Conflict):
    code = "illegal_transition"
    message = _("The order cannot move to that status from its current one.")


class OrdersInProgress(Conflict):
    code = "orders_in_progress"
    message = _(
        "An order of this account is still awaiting payment or on its way; the account can "
        "be erased once it is delivered, cancelled or expired."
    )


class OrderNotPending(Conflict):
    code = "order_not_pending"
    message = _("Only an order awaiting payment can change its shipping or coupon.")


class NoShippingNeeded(Conflict):
    code = "no_shipping_needed"
    message = _("This order has nothing to ship (event tickets only).")


class ShippingRequired(Conflict):
    code = "shipping_required"
    message = _("Choose how the order is shipped (PUT /api/orders/{id}/shipping) before paying.")
