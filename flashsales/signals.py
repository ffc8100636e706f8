"""Signals the flashsales app sends."""

from django.dispatch import Signal

# After the commit of anything that changes a sale's live figures (remaining, status), with
# the argument sale_id: the live push and the admission gate listen.
flash_sale_changed = Signal()
