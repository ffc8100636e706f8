"""Payments in a person's data (accounts/personal_data.py): never card data."""

from accounts.models import User
from accounts.personal_data import Section, register
from core.moments import moment
from payments.models import Payment, PaymentLog, SandboxCard, SandboxCharge, WebhookEvent


def _export(user: User) -> list[dict]:
    payments = Payment.objects.filter(order__customer=user).order_by("pk")
    return [
        {
            "id": p.pk,
            "order_id": p.order_id,
            "method": p.method,
            "status": p.status,
            "amount": str(p.amount),
            "installments": p.installments,
            "created_at": moment(p.created_at),
        }
        for p in payments
    ]


register(
    Section(
        "payments",
        (Payment,),
        export=_export,
        reviewed={
            PaymentLog: "the provider's answers, kept as the financial record",
            WebhookEvent: "provider event ids",
            SandboxCard: "the sandbox's test cards",
            SandboxCharge: "the sandbox's charges",
        },
    )
)
