"""The errors flashsales raises; core.exceptions renders each as {"detail", "code"}."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import ApplicationError, Conflict, NotFound, TooManyRequests


class SoldOut(Conflict):
    code = "sold_out"
    message = _("Every unit released so far is taken; the next drop releases more.")


class LimitReached(Conflict):
    code = "limit_reached"
    message = _("You already hold the most units one customer may claim in this drop.")


class NotOpen(Conflict):
    code = "not_open"
    message = _("The sale has not opened yet.")


class SaleEnded(Conflict):
    code = "sale_ended"
    message = _("The sale has ended.")


class ClaimThrottled(TooManyRequests):
    message = _("Too many claims; wait a moment.")


class InsufficientStock(ApplicationError):
    code = "insufficient_stock"
    message = _("The product does not have the stock for every drop of this sale.")


class SaleNeverOpens(ApplicationError):
    code = "sale_in_the_past"
    message = _("Every drop of this plan is already over: the sale would never open.")


class SaleHasClaims(Conflict):
    code = "sale_has_claims"
    message = _("A sale with claims cannot be deleted or re-planned.")


class SaleNotFound(NotFound):
    """No such sale (the same answer as any unknown id)."""
