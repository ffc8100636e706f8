"""Flash-sale claims in a person's data (accounts/personal_data.py)."""

from accounts.models import User
from accounts.personal_data import Section, register
from core.moments import moment
from flashsales.models import Claim


def _export(user: User) -> list[dict]:
    claims = Claim.objects.filter(customer=user).order_by("pk")
    return [
        {
            "sale_id": c.sale_id,
            "drop": c.drop,
            "order_id": c.order_id,
            "status": c.status,
            "created_at": moment(c.created_at),
        }
        for c in claims
    ]


register(Section("flash_sale_claims", (Claim,), export=_export))
