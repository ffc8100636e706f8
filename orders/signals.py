"""Signals the orders app sends; receivers live in the listening app's receivers.py."""

from django.dispatch import Signal

# Sent after the commit of every status change (and of creation), with the arguments
# order, from_status, to_status, by.
order_status_changed = Signal()
