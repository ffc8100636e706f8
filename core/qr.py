"""QR codes as SVG documents (segno), for the Pix copy-and-paste and event admissions alike."""

import io

import segno


def qr_svg(payload: str, scale: int = 4) -> str:
    """`payload` as an SVG QR code (error correction M). A whole document, with the SVG
    namespace: an `<img>` (a data URI, `/qr.svg`) renders nothing without it, and inline
    HTML accepts it as well. segno's `svg_inline` leaves the namespace out."""
    out = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(
        out, kind="svg", xmldecl=False, nl=False, scale=scale
    )
    return out.getvalue().decode()
