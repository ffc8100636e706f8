"""The errors delivery raises; core.exceptions renders each as {"detail", "code"}."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.exceptions import BadRequest, Conflict, NotFound
from delivery.models import MAX_ADDRESSES


class AddressLimit(Conflict):
    code = "address_limit"
    message = format_lazy(
        _("An address book holds at most {max} addresses; remove one first."), max=MAX_ADDRESSES
    )


class AddressNotFound(NotFound):
    code = "address_not_found"
    message = _("No such address in your address book.")


class AddressRequired(BadRequest):
    code = "address_required"
    message = _("A delivery needs an address (address_id).")


class ShippingMethodNotFound(NotFound):
    code = "shipping_method_not_found"
    message = _("No such shipping method.")


class ShippingUnavailable(Conflict):
    code = "shipping_unavailable"
    message = _("This shipping method does not deliver to that address.")


class ShippingMethodInUse(Conflict):
    code = "shipping_method_in_use"
    message = _("Orders were shipped this way; deactivate the method instead.")


class CouponUnknown(Conflict):
    code = "coupon_unknown"
    message = _("No coupon has this code.")


class CouponInactive(Conflict):
    code = "coupon_inactive"
    message = _("This coupon is not valid yet, or no longer offered.")


class CouponExpired(Conflict):
    code = "coupon_expired"
    message = _("This coupon has expired.")


class CouponExhausted(Conflict):
    code = "coupon_exhausted"
    message = _("This coupon has been used as many times as it may be.")


class CouponLimitReached(Conflict):
    code = "coupon_limit_reached"
    message = _("You have used this coupon as many times as it allows.")


class CouponMinSubtotal(Conflict):
    code = "coupon_min_subtotal"
    message = _("The order's subtotal is below this coupon's minimum.")


class CouponNotForFlashSales(Conflict):
    code = "coupon_flash_sale"
    message = _("Coupons do not apply to flash-sale orders.")


class CouponInUse(Conflict):
    code = "coupon_in_use"
    message = _("Orders carry this coupon; deactivate it instead.")
