"""Pix BR Code (EMV QRCPS-MPM, as Banco Central do Brasil specifies it): build and parse.

Written here because no maintained Python library covers it: the existing packages are
unmaintained, and the format is small (TLV fields and a CRC). Checked against the two
examples of the BR Code manual, byte for byte (payments/tests/test_pix.py).
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from core.qr import qr_svg

GUI = "br.gov.bcb.pix"
TXID_STATIC = re.compile(r"^[A-Za-z0-9]{1,25}$")


class BRCodeError(ValueError):
    """A field the BR Code cannot carry, or a payload that is not a valid BR Code."""


def crc16(data: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), as 4 upper-case hex digits."""
    crc = 0xFFFF
    for byte in data.encode("ascii"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def ascii_fold(text: str) -> str:
    """ "São Paulo" -> "Sao Paulo": lengths count characters, and readers expect ASCII."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and not unicodedata.combining(c))


def _field(tag: str, value: str) -> str:
    if len(value) > 99:
        raise BRCodeError(f"field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


@dataclass(frozen=True)
class BRCode:
    merchant_name: str
    merchant_city: str
    key: str | None = None  # a static code names the receiver's Pix key...
    location: str | None = None  # ...a dynamic one the PSP's charge URL, without scheme
    amount: Decimal | None = None  # None: the payer types the amount
    txid: str = "***"
    description: str | None = None

    def payload(self) -> str:
        """The copy-and-paste string ("Pix Copia e Cola"), CRC included."""
        if (self.key is None) == (self.location is None):
            raise BRCodeError("give either a Pix key (static) or a location (dynamic)")
        # The manual caps name and city at 25 and 15 characters; longer ones are cut there.
        name, city = ascii_fold(self.merchant_name)[:25], ascii_fold(self.merchant_city)[:15]
        if not name.strip() or not city.strip():
            raise BRCodeError("the merchant name and city may not be empty")
        if self.txid != "***" and not TXID_STATIC.match(self.txid):
            raise BRCodeError("txid is *** or 1-25 letters and digits")
        account = _field("00", GUI)
        account += _field("01", self.key) if self.key else _field("25", self.location)
        if self.description:
            account += _field("02", ascii_fold(self.description))
        parts = [_field("00", "01")]
        if self.location:
            parts.append(_field("01", "12"))  # dynamic: the code is for one payment
        parts += [_field("26", account), _field("52", "0000"), _field("53", "986")]
        if self.amount is not None:
            if self.amount <= 0:
                raise BRCodeError("the amount must be positive")
            parts.append(_field("54", f"{self.amount.quantize(Decimal('0.01'))}"))
        parts += [_field("58", "BR"), _field("59", name), _field("60", city)]
        parts.append(_field("62", _field("05", self.txid)))
        body = "".join(parts) + "6304"
        return body + crc16(body)

    def qr_svg(self) -> str:
        """The payload as an SVG QR code, for a page or an app to show."""
        return qr_svg(self.payload())


def parse(payload: str) -> dict[str, str | dict[str, str]]:
    """Read a BR Code back into its fields (templates 26 and 62 nested); verify its CRC."""
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise BRCodeError("no CRC field at the end")
    if crc16(payload[:-4]) != payload[-4:].upper():
        raise BRCodeError("CRC does not match")
    fields = _read(payload[:-8])
    for template in ("26", "62"):
        if template in fields:
            fields[template] = _read(fields[template])
    return fields


def _read(data: str) -> dict:
    fields, i = {}, 0
    while i < len(data):
        tag, length = data[i : i + 2], data[i + 2 : i + 4]
        if not (tag.isdigit() and length.isdigit()) or i + 4 + int(length) > len(data):
            raise BRCodeError(f"malformed field at position {i}")
        fields[tag] = data[i + 4 : i + 4 + int(length)]
        i += 4 + int(length)
    return fields
