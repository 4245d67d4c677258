"""QR codes as inline SVG, from the `qrcode` package."""

import qrcode
from markupsafe import Markup
from qrcode.image.svg import SvgPathImage


def qr_svg(text: str, label: str) -> Markup:
    """An SVG QR code of a text, with an accessible label, safe to put inline in a page."""
    image = qrcode.make(text, image_factory=SvgPathImage, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    svg = image.to_string(encoding="unicode")
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1]
    # The label is escaped; the rest is made by qrcode from our own text.
    return Markup(svg.replace("<svg ", Markup('<svg role="img" aria-label="{}" ').format(label), 1))
