"""Leave João with a paid order (card) and an order awaiting a Pix payment."""

from datetime import date

from accounts.models import User
from carts.services import cart_get_for_customer, cart_item_add, cart_purchase
from catalog.models import Product
from delivery.models import Address, ShippingMethod
from orders.checkout import Checkout
from payments.models import Payment
from payments.providers import sandbox
from payments.services import payment_start


def _buy(customer, sku: str):
    cart = cart_get_for_customer(customer=customer)
    cart_item_add(cart=cart, product_id=Product.objects.get(sku=sku).pk, quantity=1)
    # Delivered to their address by PAC (demo/delivery.py).
    checkout = Checkout(
        address_id=Address.objects.filter(customer=customer).values_list("pk", flat=True).first(),
        shipping_method_id=ShippingMethod.objects.get(name="PAC").pk,
    )
    return cart_purchase(cart=cart, checkout=checkout).order


def seed() -> list[str]:
    customer = User.objects.get(email="joao@shop.localhost")
    if not customer.orders.exists():
        card = sandbox.card_tokenize(
            number="4242424242424242", exp_month=12, exp_year=date.today().year + 3, cvv="123"
        )
        payment_start(
            order=_buy(customer, "JBL-FLIP6"),
            customer=customer,
            method=Payment.Method.CARD,
            card_token=card.token,
        )
        payment_start(order=_buy(customer, "DUALSENSE"), customer=customer, method="pix")
    lines = []
    for order in customer.orders.order_by("pk"):
        payment = order.payments.order_by("pk").last()
        method = payment.method if payment else "-"
        lines.append(f"order     #{order.pk} of joao@shop.localhost: {order.status} ({method})")
    return lines
