"""Tickets and admissions in a person's data (accounts/personal_data.py)."""

from accounts.models import User
from accounts.personal import anonymised_email
from accounts.personal_data import Section, register
from core.moments import moment
from tickets.models import Admission, CheckInAttempt, Ticket


def _tickets(user: User) -> list[dict]:
    return [
        {
            "code": t.code,
            "order_id": t.order_id,
            "purchaser": t.purchaser,
            "purchase_datetime": moment(t.purchase_datetime),
            "amount": str(t.amount),
        }
        for t in Ticket.objects.filter(customer=user).order_by("pk")
    ]


def _admissions(user: User) -> list[dict]:
    admissions = Admission.objects.filter(order__customer=user).select_related("product")
    return [
        {
            "code": a.code,
            "event": a.product.name,
            "holder": a.holder,
            "status": a.status,
            "checked_in_at": moment(a.checked_in_at) if a.checked_in_at else None,
        }
        for a in admissions.order_by("pk")
    ]


def _erase(user: User) -> None:
    Ticket.objects.filter(customer=user).update(purchaser=anonymised_email(user))
    Admission.objects.filter(order__customer=user).update(holder=anonymised_email(user))


register(
    Section(
        "tickets",
        (Ticket, Admission),
        export=lambda user: {"tickets": _tickets(user), "admissions": _admissions(user)},
        anonymise=_erase,
        reviewed={CheckInAttempt: "the door's log of staff scans; names no customer"},
    )
)
