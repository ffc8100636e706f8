"""The errors carts raises; core.exceptions renders each as {"detail", "code"}."""

from core.exceptions import ApplicationError, Conflict, NotFound


class ProductUnavailable(ApplicationError):
    code = "product_unavailable"
    message = "That product does not exist or is no longer sold."


class QuantityOutOfRange(ApplicationError):
    code = "invalid_quantity"


class ItemNotInCart(NotFound):
    code = "item_not_in_cart"
    message = "That product is not in the cart."


class EmptyCart(ApplicationError):
    code = "empty_cart"
    message = "The cart is empty."


class NothingPurchasable(Conflict):
    code = "out_of_stock"
    message = "None of the cart's products has enough stock."


class CartNotFound(NotFound):
    message = "No such cart."
