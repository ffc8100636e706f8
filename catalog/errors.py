"""The errors catalog raises; core.exceptions renders each as {"detail", "code"}."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import Conflict


class CategoryInUse(Conflict):
    code = "category_in_use"
    message = _("This category still has products; move or delete them first.")
