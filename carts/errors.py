"""The errors carts raises; core.exceptions renders each as {"detail", "code"}."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import ApplicationError, Conflict, NotFound


class ProductUnavailable(ApplicationError):
    code = "product_unavailable"
    message = _("That product does not exist or is no longer sold.")


class QuantityOutOfRange(ApplicationError):
    code = "invalid_quantity"


class ItemNotInCart(NotFound):
    code = "item_not_in_cart"
    message = _("That product is not in the cart.")


class EmptyCart(ApplicationError):
    code = "empty_cart"
    message = _("The cart is empty.")


class NothingPurchasable(Conflict):
    code = "out_of_stock"
    message = _("None of the cart's products has enough stock.")


class CartNotFound(NotFound):
    message = _("No such cart.")
