"""Money as people read it: `R$ 1.299,90` in Portuguese, `R$1,299.90` in English.

Babel's CLDR data is the one formatter of amounts for pages, e-mails and the admin, in the
active language (or the one given); the API keeps `"1299.90"`.
"""

from decimal import Decimal

from babel.numbers import format_currency
from django.utils.translation import get_language, to_locale

CURRENCY = "BRL"


def money_display(amount: Decimal | int | str | None, language: str | None = None) -> str:
    if amount is None or amount == "":
        return ""
    locale = to_locale(language or get_language() or "pt-br")
    return format_currency(Decimal(amount), CURRENCY, locale=locale)
