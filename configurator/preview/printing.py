"""Print-ready artwork and print-quality estimates (pure: bytes and sizes in, PNG out).

A print area is the merchant's ``print_width_mm`` × ``print_height_mm`` at ``print_dpi``. The
artwork is a PNG exactly that many pixels, with its resolution written in the file (pHYs)
and an sRGB profile, transparent outside the ink unless a background is asked for.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from typing import Final, Literal

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from .placement import IDENTITY, Placement, place_picture, place_text
from .spec import Box, PreviewError, Problem, Source, is_colour, rgb
from .text import fit_text, text_mask

MM_PER_INCH: Final = 25.4
MIN_DPI, MAX_DPI = 72, 1200
MAX_SIDE_MM = 2000
MAX_PRINT_PIXELS: Final = 150_000_000
ART_FORMATS = ("PNG", "JPEG", "WEBP")
#: Share of the area's DPI below which a picture prints soft (warning) or blurry (poor).
LOW_RATIO, POOR_RATIO = 0.8, 0.5

Level = Literal["ok", "low", "poor"]


@dataclass(frozen=True)
class PrintArea:
    width_mm: float
    height_mm: float
    dpi: int = 300

    @property
    def pixels(self) -> tuple[int, int]:
        """The artwork's size in pixels at the area's DPI (at least 1 × 1)."""
        return (
            max(1, round(self.width_mm / MM_PER_INCH * self.dpi)),
            max(1, round(self.height_mm / MM_PER_INCH * self.dpi)),
        )


@dataclass(frozen=True)
class PrintQuality:
    """How sharp a picture of ``image_size`` prints when fitted into the area."""

    effective_dpi: float
    level: Level
    code: str  # "" when ok, else print.W001 (low) or print.W002 (poor)
    message: str
    needed: tuple[int, int]  # the picture size that would print at the area's DPI
    target_dpi: int = 300  # the area's DPI


def area_problems(area: PrintArea) -> list[Problem]:
    problems = []
    for name in ("width_mm", "height_mm"):
        value = getattr(area, name)
        if not isinstance(value, int | float) or not 0 < value <= MAX_SIDE_MM:
            message = f"Give a size in millimetres between 0 and {MAX_SIDE_MM}."
            problems.append(Problem("print.E001", f"area.{name}", message))
    if not isinstance(area.dpi, int) or not MIN_DPI <= area.dpi <= MAX_DPI:
        message = f"Give a resolution between {MIN_DPI} and {MAX_DPI} DPI."
        problems.append(Problem("print.E001", "area.dpi", message))
    if not problems and area.pixels[0] * area.pixels[1] > MAX_PRINT_PIXELS:
        message = "The print area is too large at this resolution."
        problems.append(Problem("print.E001", "area", message))
    return problems


def print_quality(
    image_size: tuple[int, int], area: PrintArea, *, scale: float = 1.0
) -> PrintQuality:
    """The DPI a picture prints at when fitted (not cropped) into the area, and a warning.

    Fitting scales the picture until its limiting side meets the area, so the effective DPI
    is the larger of width/area-width and height/area-height (in inches). ``scale``: the
    shopper's placement shrinks the picture to that share of its fitted size, so its pixels
    are printed closer together: the DPI is divided by it.
    """
    width, height = image_size
    shown = max(scale, 0.01)
    inches = (area.width_mm / MM_PER_INCH * shown, area.height_mm / MM_PER_INCH * shown)
    dpi = round(max(width / inches[0], height / inches[1]), 1)
    scale = shown * min(area.pixels[0] / max(width, 1), area.pixels[1] / max(height, 1))
    needed = (max(width, round(width * scale)), max(height, round(height * scale)))
    if dpi >= area.dpi * LOW_RATIO:
        return PrintQuality(dpi, "ok", "", "", needed, area.dpi)
    if dpi >= area.dpi * POOR_RATIO:
        message = (
            f"The picture prints at about {dpi:.0f} DPI; {area.dpi} DPI needs "
            f"{needed[0]}×{needed[1]} pixels. It may look soft."
        )
        return PrintQuality(dpi, "low", "print.W001", message, needed, area.dpi)
    message = (
        f"The picture is too small for the print area: about {dpi:.0f} DPI where "
        f"{area.dpi} DPI needs {needed[0]}×{needed[1]} pixels. It will look blurry."
    )
    return PrintQuality(dpi, "poor", "print.W002", message, needed, area.dpi)


def compose_print_artwork(
    *,
    area: PrintArea,
    text: str | None = None,
    art: bytes | Image.Image | None = None,
    font: Source | None = None,
    colour: str = "#000000",
    background: str | None = None,
    padding_mm: float = 0.0,
    placement: Placement = IDENTITY,
) -> Image.Image:
    """The artwork at print size: RGBA (transparent) or RGB on ``background``.

    ``placement``: where the shopper put the text or picture in the area (the geometry of
    the live preview, :mod:`.placement`); without one, it is as large as fits, centred.
    """
    problems = area_problems(area)
    if (text is None) == (art is None):
        problems.append(Problem("print.E002", "text", "Give either a text or a picture."))
    if not is_colour(colour):
        problems.append(Problem("print.E003", "colour", "Use a colour like #000000."))
    if background is not None and not is_colour(background):
        problems.append(Problem("print.E003", "background", "Use a colour like #ffffff."))
    if problems:
        raise PreviewError(problems)
    width, height = area.pixels
    pad = round(max(0.0, padding_mm) / MM_PER_INCH * area.dpi)
    inner = Box(pad, pad, max(1, width - 2 * pad), max(1, height - 2 * pad))
    canvas = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    if not placement.is_identity:
        _draw_placed(canvas, inner, placement, text=text, art=art, font=font, colour=colour)
    elif text is not None:
        fit = fit_text(text, box=inner, font=font)
        if fit is not None:
            mask = _ink_centred_across(
                text_mask(fit, font=font, region=Box(0, 0, width, height)), inner
            )
            canvas.paste((*rgb(colour), 255), (0, 0, width, height), mask)
    elif art is not None:
        picture = _open_art(art)
        scale = min(inner.width / picture.width, inner.height / picture.height)
        size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
        fitted = picture
        if size != picture.size:
            fitted = picture.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        offset = (inner.x + (inner.width - size[0]) // 2, inner.y + (inner.height - size[1]) // 2)
        if fitted.mode == "RGBA":
            canvas.alpha_composite(fitted, dest=offset)
        else:  # opaque: a plain copy of the pixels
            canvas.paste(fitted.convert("RGBA"), offset)
    if background is None:
        return canvas
    flat = Image.new("RGB", canvas.size, rgb(background))
    flat.paste(canvas, (0, 0), canvas)
    return flat


def _draw_placed(
    canvas: Image.Image,
    inner: Box,
    placement: Placement,
    *,
    text: str | None,
    art: bytes | Image.Image | None,
    font: Source | None,
    colour: str,
) -> None:
    """The text or picture drawn where the shopper placed it (moved, scaled, turned)."""
    if text is not None:
        placed = place_text(text, inner, placement, font)
        if placed is not None:
            mask, offset = placed
            paint = Image.new("RGBA", mask.size, (*rgb(colour), 255))
            paint.putalpha(mask)
            _composite(canvas, paint, offset)
    elif art is not None:
        image, offset = place_picture(_open_art(art), inner, placement)
        _composite(canvas, image, offset)


def _composite(canvas: Image.Image, image: Image.Image, offset: tuple[int, int]) -> None:
    """``image`` over the canvas at ``offset``, cut to the canvas (a corner may pass it)."""
    left, top = max(0, -offset[0]), max(0, -offset[1])
    if left or top:
        image = image.crop((left, top, image.width, image.height))
    canvas.alpha_composite(image, dest=(offset[0] + left, offset[1] + top))


def render_print_artwork(
    *,
    area: PrintArea,
    text: str | None = None,
    art: bytes | Image.Image | None = None,
    font: Source | None = None,
    colour: str = "#000000",
    background: str | None = None,
    padding_mm: float = 0.0,
    placement: Placement = IDENTITY,
) -> bytes:
    """The artwork as PNG bytes with the DPI and an sRGB profile set in the file."""
    image = compose_print_artwork(
        area=area,
        text=text,
        art=art,
        font=font,
        colour=colour,
        background=background,
        padding_mm=padding_mm,
        placement=placement,
    )
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(area.dpi, area.dpi), icc_profile=srgb_profile())
    return out.getvalue()


def _ink_centred_across(mask: Image.Image, inner: Box) -> Image.Image:
    """The mask moved sideways so that its ink, not the letters' advances, is centred.

    Text is fitted on its advances (a last letter's side bearing counts), which leaves the
    ink up to half a millimetre off centre at print size; on a cut piece that shows.
    """
    ink = mask.getbbox()
    if ink is None:
        return mask
    left = inner.x + (inner.width - (ink[2] - ink[0])) // 2
    if left == ink[0]:
        return mask
    moved = Image.new("L", mask.size, 0)
    moved.paste(mask.crop(ink), (left, ink[1]))
    return moved


@functools.cache
def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _open_art(art: bytes | Image.Image) -> Image.Image:
    """The picture as RGB (opaque) or RGBA, orientation applied."""
    if isinstance(art, Image.Image):
        return _rgb_or_rgba(art)
    try:
        with Image.open(io.BytesIO(art), formats=list(ART_FORMATS)) as opened:
            opened.load()
            return _rgb_or_rgba(ImageOps.exif_transpose(opened))
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError) as exc:
        problem = Problem("print.E004", "art", f"The picture cannot be read ({exc}).")
        raise PreviewError([problem]) from None


def _rgb_or_rgba(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "RGB"):
        return image
    has_alpha = image.mode in ("LA", "PA", "La", "RGBa") or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")
