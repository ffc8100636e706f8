"""QR codes as inline SVG (segno), for the Pix copy-and-paste and event admissions alike."""

import segno


def qr_svg(payload: str, scale: int = 4) -> str:
    """`payload` as an SVG QR code (error correction M), for a page or an app to show."""
    return segno.make(payload, error="m", micro=False).svg_inline(scale=scale)
