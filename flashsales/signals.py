"""Signals the flashsales app sends."""

from django.dispatch import Signal

# After the commit of anything that changes a sale's live figures (remaining, status), with
# the arguments sale_id and reason (claimed, paid, returned, plan, closed): the live push
# and the admission gate listen.
flash_sale_changed = Signal()
