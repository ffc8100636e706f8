"""Cart writes and the purchase: stock is taken under row locks, in product-id order."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from carts.errors import (
    CartNotFound,
    EmptyCart,
    ItemNotInCart,
    NothingPurchasable,
    ProductUnavailable,
    QuantityOutOfRange,
)
from carts.models import Cart, CartItem
from catalog.models import Product
from catalog.stock import stock_lock, stock_take
from core.locks import lock, lock_one
from orders.checkout import Checkout, order_checkout
from orders.models import Order
from orders.services import LineToPlace, order_place
from tickets.models import Ticket
from tickets.services import ticket_issue


@dataclass(frozen=True)
class Purchase:
    order: Order
    ticket: Ticket
    unprocessed_product_ids: list[int]


def cart_get_for_customer(*, customer: User) -> Cart:
    """Return the customer's cart, creating it the first time."""
    cart, _ = Cart.objects.get_or_create(customer=customer)
    return cart


def _check_quantity(quantity: int) -> None:
    maximum = settings.CART_MAX_QUANTITY
    if not 1 <= quantity <= maximum:
        message = gettext("Quantity must be a whole number from 1 to %(maximum)s.")
        raise QuantityOutOfRange(message % {"maximum": maximum})


def _sellable_product(product_id: int) -> Product:
    product = Product.objects.active().filter(pk=product_id).first()
    if product is None:
        raise ProductUnavailable()
    return product


def _lock(cart: Cart) -> Cart:
    """Serialise writes to one cart (two tabs adding the same product at once)."""
    return lock_one(Cart.objects, pk=cart.pk)


@transaction.atomic
def cart_item_add(*, cart: Cart, product_id: int, quantity: int) -> tuple[CartItem, bool]:
    """Add a line, or increase the line already there; return it and whether it is new."""
    cart = _lock(cart)
    product = _sellable_product(product_id)
    item = cart.items.filter(product=product).first()
    created = item is None
    _check_quantity(quantity + (0 if item is None else item.quantity))
    if item is None:
        item = CartItem.objects.create(cart=cart, product=product, quantity=quantity)
    else:
        item.quantity += quantity
        item.save(update_fields=["quantity"])
    cart.save(update_fields=["updated_at"])
    return item, created


@transaction.atomic
def cart_item_set(*, cart: Cart, product_id: int, quantity: int) -> CartItem:
    cart = _lock(cart)
    _check_quantity(quantity)
    updated = CartItem.objects.filter(cart=cart, product_id=product_id).update(quantity=quantity)
    if not updated:
        raise ItemNotInCart()
    cart.save(update_fields=["updated_at"])
    return CartItem.objects.get(cart=cart, product_id=product_id)


@transaction.atomic
def cart_item_remove(*, cart: Cart, product_id: int) -> None:
    cart = _lock(cart)
    deleted, _ = CartItem.objects.filter(cart=cart, product_id=product_id).delete()
    if not deleted:
        raise ItemNotInCart()
    cart.save(update_fields=["updated_at"])


@transaction.atomic
def cart_clear(*, cart: Cart) -> None:
    cart = _lock(cart)
    cart.items.all().delete()
    cart.save(update_fields=["updated_at"])


@transaction.atomic
def cart_purchase(
    *, cart: Cart, customer: User | None = None, checkout: Checkout | None = None
) -> Purchase:
    """Buy every line whose product has the stock; leave the others in the cart.

    The cart row is locked first (one purchase of a cart at a time), then its products in
    id order, so two purchases that share products always lock them in the same order and
    cannot deadlock. On SQLite the IMMEDIATE transaction already holds the write lock.
    With `customer`, the lock is also the ownership check (someone else's cart: 404), and the
    customer in hand is the order's. `checkout` (an address and a method, a coupon) prices the
    order in the same transaction: a choice refused refuses the purchase, and nothing changes.
    """
    if customer is not None:
        owned = lock(Cart.objects.filter(pk=cart.pk, customer=customer)).first()
        if owned is None:
            raise CartNotFound()
        cart, cart.customer = owned, customer
    else:
        cart = _lock(cart)
    items = list(cart.items.order_by("product_id"))
    if not items:
        raise EmptyCart()
    products = stock_lock(
        product_ids=[item.product_id for item in items],
        fields=("id", "name", "sku", "price", "stock", "is_active"),
    )
    bought, unprocessed, now = [], [], timezone.now()
    for item in items:
        product = products[item.product_id]
        if product.sells(item.quantity, now=now):
            bought.append((product, item.quantity))
        else:
            unprocessed.append(item.product_id)
    if not bought:
        raise NothingPurchasable(unprocessed_product_ids=unprocessed)

    stock_take(lines=bought)
    order = order_place(
        customer=cart.customer,
        lines=[LineToPlace(product, quantity, product.price) for product, quantity in bought],
        source=Order.Source.CART,
    )
    if checkout:
        order_checkout(order=order, customer=cart.customer, checkout=checkout)
    ticket = ticket_issue(order=order)
    cart.items.filter(product_id__in=[product.pk for product, _ in bought]).delete()
    cart.save(update_fields=["updated_at"])
    return Purchase(order=order, ticket=ticket, unprocessed_product_ids=unprocessed)
