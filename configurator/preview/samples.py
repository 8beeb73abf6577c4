"""Sample layers with known geometry, for tests and benchmarks (deterministic PNG bytes).

The scene is a mug-like body on a 1024 px canvas (coordinates scale with ``size``):

- base: a light grey body ``BODY`` with a soft shadow below it, transparent elsewhere;
- tint mask: the body, grey 200 (``FLAT``) except a shading band ``SHADE_BAND`` at grey 120;
- texture ("linen"): vertical stripes 8 px wide every 64 px over the whole canvas, colour
  ``STRIPE`` — clipped to the body by the compositor;
- overlay ("star"): a gold disc ``STAR_COLOUR`` of radius 50 around ``STAR_CENTRE``;
- text box ``TEXT_BOX`` and artwork box ``ART_BOX`` (the print area).
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFilter

from .spec import Box, LayerSpec

NATIVE = 1024
BODY = (256, 192, 768, 832)  # left, top, right, bottom (exclusive)
SHADE_BAND = (700, 192, 768, 832)
FLAT, SHADE = 200, 120
BASE_GREY = (230, 230, 230)
STRIPE = (40, 40, 40)
STRIPE_EVERY, STRIPE_WIDTH = 64, 8
STAR_CENTRE, STAR_RADIUS = (512, 540), 50
STAR_COLOUR = (255, 215, 0)
TEXT_BOX = Box(320, 640, 384, 112)
ART_BOX = Box(352, 232, 320, 240)
SWATCHES = {"navy": "#1f2a44", "red": "#cc2200", "white": "#ffffff", "blue": "#3366cc"}


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def _scaled(box: tuple[int, int, int, int], size: int) -> tuple[int, int, int, int]:
    f = size / NATIVE
    return (round(box[0] * f), round(box[1] * f), round(box[2] * f), round(box[3] * f))


def base_image(size: int = NATIVE) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    shadow = Image.new("L", (size, size), 0)
    left, top, right, bottom = _scaled(BODY, size)
    ImageDraw.Draw(shadow).ellipse((left, bottom - size // 40, right, bottom + size // 30), 90)
    shadow = shadow.filter(ImageFilter.GaussianBlur(max(1, size // 100)))
    image.paste((0, 0, 0, 255), (0, 0, size, size), shadow)
    ImageDraw.Draw(image).rectangle((left, top, right - 1, bottom - 1), (*BASE_GREY, 255))
    return image


def tint_mask(size: int = NATIVE) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = _scaled(BODY, size)
    draw.rectangle((left, top, right - 1, bottom - 1), (FLAT, FLAT, FLAT, 255))
    left, top, right, bottom = _scaled(SHADE_BAND, size)
    draw.rectangle((left, top, right - 1, bottom - 1), (SHADE, SHADE, SHADE, 255))
    return image


def texture_image(size: int = NATIVE) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    f = size / NATIVE
    for x in range(0, NATIVE, STRIPE_EVERY):
        left, right = round(x * f), round((x + STRIPE_WIDTH) * f)
        draw.rectangle((left, 0, right - 1, size - 1), (*STRIPE, 255))
    return image


def overlay_image(size: int = NATIVE) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    f = size / NATIVE
    cx, cy, r = STAR_CENTRE[0] * f, STAR_CENTRE[1] * f, STAR_RADIUS * f
    ImageDraw.Draw(image).ellipse((cx - r, cy - r, cx + r, cy + r), (*STAR_COLOUR, 255))
    return image


def photo(width: int = 1200, height: int = 900, *, mode: str = "RGB") -> Image.Image:
    """A picture with four coloured quadrants (red, green, blue, yellow) and a white frame."""
    image = Image.new(mode, (width, height), "white")
    draw = ImageDraw.Draw(image)
    w, h, m = width, height, max(1, min(width, height) // 20)
    draw.rectangle((m, m, w // 2 - 1, h // 2 - 1), (220, 30, 30))
    draw.rectangle((w // 2, m, w - m - 1, h // 2 - 1), (30, 160, 60))
    draw.rectangle((m, h // 2, w // 2 - 1, h - m - 1), (30, 60, 200))
    draw.rectangle((w // 2, h // 2, w - m - 1, h - m - 1), (240, 200, 20))
    return image


def encoded(image: Image.Image, format: str = "PNG", **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format, **params)
    return out.getvalue()


def scene(size: int = NATIVE, *, font: bytes | str | None = None) -> tuple[LayerSpec, ...]:
    """The sample scene's layers, pictures as PNG bytes (same objects on every call)."""
    return _scene(size, font)


_SCENES: dict[tuple[int, object], tuple[LayerSpec, ...]] = {}


def _scene(size: int, font: bytes | str | None) -> tuple[LayerSpec, ...]:
    key = (size, font)
    if key not in _SCENES:
        f = size / NATIVE
        _SCENES[key] = (
            LayerSpec(kind="base", image=png(base_image(size))),
            LayerSpec(kind="tint", image=png(tint_mask(size)), group="color", swatches=SWATCHES),
            LayerSpec(
                kind="texture", image=png(texture_image(size)), group="material", value="linen"
            ),
            LayerSpec(kind="overlay", image=png(overlay_image(size)), group="design", value="star"),
            LayerSpec(kind="text", group="monogram", box=TEXT_BOX.scaled(f), font=font),
            LayerSpec(kind="artwork", group="photo", box=ART_BOX.scaled(f)),
        )
    return _SCENES[key]
