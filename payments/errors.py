"""The errors payments raises; core.exceptions renders each as {"detail", "code"}."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import ApplicationError, Conflict, NotFound


class ProviderRefused(ApplicationError):
    """The provider refused the request itself (bad token, bad amount): not worth retrying."""

    code = "provider_refused"
    message = _("The payment provider refused the request.")


class InvalidCardToken(ProviderRefused):
    code = "invalid_card_token"
    message = _("The card token is unknown, expired or already used.")


class InvalidCard(ProviderRefused):
    code = "invalid_card"
    message = _("The card number, expiry or security code is not valid.")


class ChargeNotPayable(Conflict):
    code = "charge_not_payable"
    message = _("This charge is not awaiting payment.")


class InvalidSignature(ApplicationError):
    status_code = 400
    code = "invalid_signature"
    message = _("The webhook signature is missing, malformed, stale or wrong.")


class OrderNotPayable(Conflict):
    code = "order_not_payable"
    message = _("The order is not awaiting payment.")


class PaymentInProgress(Conflict):
    code = "payment_in_progress"
    message = _(
        "A payment of this order is under way (a Pix charge awaiting payment, or a charge to "
        "retry); its shipping and coupon can change once it is settled or the order expires."
    )


class PaymentNotRefundable(Conflict):
    code = "payment_not_refundable"
    message = _("Only an approved payment of a paid order can be refunded.")


class UnknownPayment(NotFound):
    code = "unknown_payment"
    message = _("No payment of this shop has that provider id.")


class CardDataRefused(ApplicationError):
    code = "card_data_refused"
    message = _("Card numbers and security codes are never sent to the shop; send a card token.")
