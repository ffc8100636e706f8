"""Carriers' tracking codes: which carriers a shipped order may name, and a Correios code's
UPU S10 check digit (AA123456785BR: two letters, eight digits, the check digit, the country)."""

import re

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.exceptions import BadRequest

S10 = re.compile(r"^[A-Z]{2}([0-9]{8})([0-9])[A-Z]{2}$")
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


class TrackingRequired(BadRequest):
    code = "tracking_required"
    message = _("A shipped order needs its carrier and tracking code.")


class UnknownCarrier(BadRequest):
    code = "unknown_carrier"
    message = _("Unknown carrier; use one of CARRIER_TRACKING_URLS.")


class InvalidTrackingCode(BadRequest):
    code = "invalid_tracking_code"
    message = _("This is not a valid Correios code (e.g. AA123456785BR): check its check digit.")


def s10_check_digit(serial: str) -> int:
    """The check digit of an S10 code's eight-digit serial number."""
    remainder = sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11
    check = 11 - remainder
    return {10: 0, 11: 5}.get(check, check)


def tracking_clean(carrier: str, code: str) -> tuple[str, str]:
    """A carrier and tracking code as a shipped order keeps them; 400 errors otherwise."""
    carrier, code = carrier.strip().lower(), code.strip().upper().replace(" ", "")
    if not carrier or not code:
        raise TrackingRequired()
    if carrier not in settings.CARRIER_TRACKING_URLS:
        carriers = ", ".join(settings.CARRIER_TRACKING_URLS)
        raise UnknownCarrier(
            gettext("Unknown carrier; use one of %(carriers)s.") % {"carriers": carriers}
        )
    if carrier == "correios":
        match = S10.match(code)
        if match is None or s10_check_digit(match[1]) != int(match[2]):
            raise InvalidTrackingCode()
    elif len(code) > 40 or not code.isalnum():
        raise InvalidTrackingCode(_("A tracking code is at most 40 letters and digits."))
    return carrier, code
