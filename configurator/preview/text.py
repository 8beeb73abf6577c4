"""Text set in a merchant's font, as large as fits a box, centred on its ink.

Text is normalized to NFC first: a keyboard or browser that sends Vietnamese decomposed
("e" + U+0302 + U+0303) gets the same precomposed glyphs ("ễ") as one that sends it
composed, so marks never stack wrongly whatever the layout engine. Fitting measures the ink
(the pixels that will be painted, stacked diacritics included), so nothing is clipped.
"""

from __future__ import annotations

import functools
import io
import os
import unicodedata
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .sources import source_id
from .spec import Box, Source

FONTS_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
#: The default font: DejaVu Sans covers Vietnamese (every precomposed letter).
DEFAULT_FONT = FONTS_DIR / "DejaVuSans.ttf"
DEFAULT_BOLD_FONT = FONTS_DIR / "DejaVuSans-Bold.ttf"
MIN_SIZE = 6

Font = ImageFont.FreeTypeFont


@dataclass(frozen=True)
class TextFit:
    """Where the text goes: its size in pixels, the draw origin and its bounds on the canvas.

    ``bounds`` (left, top, right, bottom, exclusive) spans the glyphs' advances across and
    their ink up and down, stacked diacritics included; every painted pixel lies inside.
    """

    text: str
    size: int
    origin: tuple[int, int]
    bounds: tuple[int, int, int, int]


def normalize(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def load_font(font: Source | None, size: int) -> Font:
    """The font at ``size`` points (pixels), shared per process."""
    source: str | bytes = font if isinstance(font, bytes) else os.fspath(font or DEFAULT_FONT)
    return _load(source_id(source), source, size)


@functools.lru_cache(maxsize=256)
def _load(_identity: Hashable, source: str | bytes, size: int) -> Font:
    if isinstance(source, bytes):
        return ImageFont.truetype(io.BytesIO(source), size)
    return ImageFont.truetype(source, size)


_MEASURE = ImageDraw.Draw(Image.new("L", (1, 1)))


def ink_box(text: str, font: Font) -> tuple[int, int, int, int]:
    """The text's bounds when drawn at (0, 0) (lines centred): see :class:`TextFit`."""
    box = _MEASURE.textbbox((0, 0), text, font=font, align="center")
    return (int(box[0]), int(box[1]), int(box[2]), int(box[3]))


def fit_text(
    text: str,
    *,
    box: Box,
    font: Source | None = None,
    min_size: int = MIN_SIZE,
    max_size: int | None = None,
) -> TextFit | None:
    """The largest size (≤ the box's height) whose bounds fit the box, centred in it.

    Returns None for empty or blank text. Text too long to fit even at ``min_size`` is set
    at ``min_size`` and overflows its box equally on both sides.
    """
    text = normalize(text)
    if not text.strip():
        return None
    size = max(min_size, min(max_size or box.height, box.height))
    left, top, right, bottom = ink_box(text, load_font(font, size))
    width, height = right - left, bottom - top
    if width > box.width or height > box.height:
        # Ink grows about linearly with size: jump close, then step down to a fit.
        ratio = min(box.width / max(width, 1), box.height / max(height, 1))
        size = max(min_size, int(size * ratio))
        while True:
            left, top, right, bottom = ink_box(text, load_font(font, size))
            width, height = right - left, bottom - top
            if (width <= box.width and height <= box.height) or size <= min_size:
                break
            size -= 1
    x = box.x + (box.width - width) // 2 - left
    y = box.y + (box.height - height) // 2 - top
    return TextFit(text, size, (x, y), (x + left, y + top, x + right, y + bottom))


def text_mask(fit: TextFit, *, font: Source | None, region: Box) -> Image.Image:
    """An L mask of ``region``'s size with the fitted text painted in (antialiased)."""
    mask = Image.new("L", (region.width, region.height), 0)
    draw = ImageDraw.Draw(mask)
    origin = (fit.origin[0] - region.x, fit.origin[1] - region.y)
    draw.text(origin, fit.text, font=load_font(font, fit.size), fill=255, align="center")
    return mask


def missing_glyphs(text: str, font: Source | None = None) -> tuple[str, ...]:
    """The characters of ``text`` (NFC) that the font would draw as its "missing" box.

    Lets the studio refuse, and the admin warn about, text a merchant's font cannot show.
    """
    probe = load_font(font, 32)
    notdef = _glyph(probe, "\uffff")  # a noncharacter: every font draws .notdef for it
    missing = []
    for char in dict.fromkeys(normalize(text)):
        if char.isspace() or unicodedata.category(char).startswith("C"):
            continue
        if _glyph(probe, char) == notdef:
            missing.append(char)
    return tuple(missing)


def _glyph(font: Font, char: str) -> tuple[tuple[int, int], bytes]:
    mask = font.getmask(char)
    return (mask.size, bytes(mask))
