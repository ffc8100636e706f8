"""The errors delivery raises; core.exceptions renders each as {"detail", "code"}."""

from core.exceptions import BadRequest, Conflict, NotFound
from delivery.models import MAX_ADDRESSES


class AddressLimit(Conflict):
    code = "address_limit"
    message = f"An address book holds at most {MAX_ADDRESSES} addresses; remove one first."


class AddressNotFound(NotFound):
    code = "address_not_found"
    message = "No such address in your address book."


class AddressRequired(BadRequest):
    code = "address_required"
    message = "A delivery needs an address (address_id)."


class ShippingMethodNotFound(NotFound):
    code = "shipping_method_not_found"
    message = "No such shipping method."


class ShippingUnavailable(Conflict):
    code = "shipping_unavailable"
    message = "This shipping method does not deliver to that address."


class ShippingMethodInUse(Conflict):
    code = "shipping_method_in_use"
    message = "Orders were shipped this way; deactivate the method instead."


class CouponUnknown(Conflict):
    code = "coupon_unknown"
    message = "No coupon has this code."


class CouponInactive(Conflict):
    code = "coupon_inactive"
    message = "This coupon is not valid yet, or no longer offered."


class CouponExpired(Conflict):
    code = "coupon_expired"
    message = "This coupon has expired."


class CouponExhausted(Conflict):
    code = "coupon_exhausted"
    message = "This coupon has been used as many times as it may be."


class CouponLimitReached(Conflict):
    code = "coupon_limit_reached"
    message = "You have used this coupon as many times as it allows."


class CouponMinSubtotal(Conflict):
    code = "coupon_min_subtotal"
    message = "The order's subtotal is below this coupon's minimum."


class CouponNotForFlashSales(Conflict):
    code = "coupon_flash_sale"
    message = "Coupons do not apply to flash-sale orders."


class CouponInUse(Conflict):
    code = "coupon_in_use"
    message = "Orders carry this coupon; deactivate it instead."
