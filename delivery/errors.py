"""The errors delivery raises; core.exceptions renders each as {"detail", "code"}."""

from core.exceptions import Conflict
from delivery.models import MAX_ADDRESSES


class AddressLimit(Conflict):
    code = "address_limit"
    message = f"An address book holds at most {MAX_ADDRESSES} addresses; remove one first."
