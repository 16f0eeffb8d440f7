"""How much room text takes on a slide: words wrapped into lines by the widths of the
real font (Liberation Sans, metric-compatible with Arial, which the slides name), so
the slides can pick a size that fits, or split text across continuation slides,
instead of letting it overflow."""

from __future__ import annotations

from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured

FONT_FILES = {
    False: [
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ],
    True: [
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ],
}
LINE_SPACING = 1.17  # a line's height, as a multiple of the font size
# The renderers (PowerPoint, LibreOffice) do not wrap exactly as we do: keep a margin.
WIDTH_SAFETY = 0.96


@lru_cache(maxsize=64)
def _font(size: float, bold: bool):
    from PIL import ImageFont

    for path in FONT_FILES[bold]:
        try:
            return ImageFont.truetype(path, size=max(1, round(size * 10)))
        except OSError:
            continue
    raise ImproperlyConfigured("Slides need the Liberation Sans font (Debian: fonts-liberation).")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` in points at ``size`` points."""
    return _font(size, bold).getlength(text) / 10


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Words wrapped into lines no wider than ``width`` points (a word longer than a
    line is broken)."""
    width *= WIDTH_SAFETY
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size, bold) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while text_width(word, size, bold) > width:
            cut = len(word)
            while cut > 1 and text_width(word[:cut], size, bold) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines or [""]


def height(
    paragraphs: list[tuple[str, int]],
    size: float,
    width: float,
    *,
    indent: float = 18,
    space_after: float = 0.45,
    bold: bool = False,
) -> float:
    """The height in points of paragraphs ``(text, level)`` wrapped at ``size``, each
    level indented by ``indent`` points, with ``space_after`` x size after each."""
    total = 0.0
    for text, level in paragraphs:
        lines = wrap(text, size, width - indent * (level + 1), bold)
        total += len(lines) * size * LINE_SPACING + size * space_after
    return total
