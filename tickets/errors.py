"""The errors tickets raises; core.exceptions renders each as {"detail", "code"}."""

from core.exceptions import Conflict, NotFound


class UnknownAdmission(NotFound):
    code = "not_found"
    message = "No admission has this code."


class AlreadyCheckedIn(Conflict):
    code = "already_checked_in"
    message = "This admission was already used to enter."


class AdmissionVoid(Conflict):
    code = "admission_void"
    message = "This admission is void (its order was refunded)."
