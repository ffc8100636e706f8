"""Signals the orders app sends; receivers live in the listening app's receivers.py."""

from django.dispatch import Signal

# Sent after the commit of every status change (and of creation), with the arguments
# order, from_status, to_status, by. For what may happen later and elsewhere: live push, mail.
order_status_changed = Signal()

# Sent inside the transaction of every status change, with the order row locked, with the
# same arguments. For what must change with the status or not at all: a flash-sale claim
# giving its unit back to its sale, admissions issued for a paid order. A receiver that
# raises rolls the status change back.
order_status_moving = Signal()

# Sent inside the transaction that changed an order's shipping or coupon (and so its total),
# with the order row locked, with the argument order. A receiver that raises rolls the change
# back: payments does while a payment of the order is under way.
order_repriced = Signal()
