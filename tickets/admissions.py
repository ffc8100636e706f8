"""Admissions to events: issued when an order is paid, voided when it is refunded, and
checked in at the door exactly once, however many scanners read the same code."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.exceptions import ApplicationError
from core.locks import lock
from core.moments import moment
from orders.models import Order
from tickets.errors import AdmissionVoid, AlreadyCheckedIn, UnknownAdmission
from tickets.models import Admission, CheckInAttempt

MAX_CODE_LENGTH = 100


def admissions_issue(*, order: Order) -> list[Admission]:
    """One admission per unit of each event line of an order becoming paid.

    Runs in the transaction of the status change, under the order's row lock, so a
    replayed payment (refused as a second `paid`) or a retry issues nothing more.
    """
    if Admission.objects.filter(order=order).exists():
        return []
    lines = order.lines.filter(product__event__isnull=False).values_list("product_id", "quantity")
    holder = order.customer.email
    return Admission.objects.bulk_create(
        Admission(product_id=product_id, order=order, holder=holder)
        for product_id, quantity in lines
        for _ in range(quantity)
    )


def admissions_void(*, order: Order) -> int:
    """The order was refunded: none of its admissions lets anyone in any more."""
    return Admission.objects.filter(order=order).update(status=Admission.Status.VOID)


def admission_check_in(*, code: str, by: User) -> Admission:
    """Let the holder in once: lock the admission's row, mark it used, record the scan.

    Every scan is recorded, admitted or refused; a refusal is raised after its record
    commits. Simultaneous scans of one code queue on the row lock (SQLite: the IMMEDIATE
    transaction), so exactly one of them is admitted.
    """
    code = code.strip().upper()[:MAX_CODE_LENGTH]
    refusal: ApplicationError | None
    with transaction.atomic():
        admission = lock(Admission.objects.filter(code=code)).first()
        if admission is None:
            result, refusal = CheckInAttempt.Result.UNKNOWN, UnknownAdmission()
        elif admission.status == Admission.Status.VOID:
            result, refusal = CheckInAttempt.Result.VOID, AdmissionVoid()
        elif admission.status == Admission.Status.USED:
            result = CheckInAttempt.Result.ALREADY_CHECKED_IN
            refusal = AlreadyCheckedIn(checked_in_at=moment(admission.checked_in_at))
        else:
            admission.status = Admission.Status.USED
            admission.checked_in_at, admission.checked_in_by = timezone.now(), by
            admission.save(update_fields=["status", "checked_in_at", "checked_in_by"])
            result, refusal = CheckInAttempt.Result.ADMITTED, None
        CheckInAttempt.objects.create(code=code, admission=admission, result=result, by=by)
    if refusal is not None or admission is None:
        raise refusal or UnknownAdmission()
    return admission
