"""The errors catalog raises; core.exceptions renders each as {"detail", "code"}."""

from core.exceptions import Conflict


class CategoryInUse(Conflict):
    code = "category_in_use"
    message = "This category still has products; move or delete them first."
