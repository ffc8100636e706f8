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

# Sent inside the transaction that is about to change an order's shipping or coupon (and so
# its total), with the order row locked and before any coupon is, with the argument order. A
# receiver that raises refuses the change (payments, while a payment of the order is under
# way); one may lock its own rows that follow the total (tickets), in core.locks.LOCK_ORDER.
order_repricing = Signal()
# Sent in the same transaction once the new total is saved, with the argument order.
order_repriced = Signal()
