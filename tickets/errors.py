"""The errors tickets raises; core.exceptions renders each as {"detail", "code"}."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import Conflict, NotFound


class UnknownAdmission(NotFound):
    code = "not_found"
    message = _("No admission has this code.")


class AlreadyCheckedIn(Conflict):
    code = "already_checked_in"
    message = _("This admission was already used to enter.")


class AdmissionVoid(Conflict):
    code = "admission_void"
    message = _("This admission is void (its order was refunded).")
