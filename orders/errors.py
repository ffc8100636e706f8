"""The errors orders raises; core.exceptions renders each as {"detail", "code"}."""

from core.exceptions import Conflict


class IllegalTransition(Conflict):
    code = "illegal_transition"
    message = "The order cannot move to that status from its current one."


class OrdersInProgress(Conflict):
    code = "orders_in_progress"
    message = (
        "An order of this account is still awaiting payment or on its way; the account can "
        "be erased once it is delivered, cancelled or expired."
    )
