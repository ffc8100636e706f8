"""The errors orders raises; core.exceptions renders each as {"detail", "code"}."""

from core.exceptions import Conflict


class IllegalTransition(Conflict):
    code = "illegal_transition"
    message = "The order cannot move to that status from its current one."
