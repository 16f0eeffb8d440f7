"""QR codes for printed pages and exports: a link drawn as an inline SVG (nothing to fetch)."""

from __future__ import annotations

import re

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str) -> SafeString:
    """``url`` as a QR code, an inline ``<svg>`` element."""
    image = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=10,
        border=2,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    svg = image.to_string(encoding="unicode")
    return mark_safe(re.sub(r"<\?xml[^>]*\?>", "", svg))  # noqa: S308 (made here, no input markup)
