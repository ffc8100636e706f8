"""What accounts announce to the apps that keep a customer's things (they import accounts,
never the reverse)."""

from django.dispatch import Signal

# A customer registered with the e-mail a guest shopped with: the guest's orders, tickets
# and the like become the account's. Sent inside the registration's transaction with
# `guest` (deactivated right after) and `user`.
guest_adopted = Signal()
