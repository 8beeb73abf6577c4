"""Whether a text can be read where it is printed: WCAG's contrast ratio against what lies
under it (pure: layer specs and a selection in, a ratio out).

What lies under a text layer is every picture layer drawn before it (the product, its
colour, its material and pattern), composed small for the selection. Across the text's box
the ratio of the text's colour to each pixel is taken, and the ratio met by four pixels in
five is the text's: a stripe or a dot of the text's own colour under a fifth of the box is
forgiven, half of it is not. The shopper's pictures (artwork layers) are not looked at: the
shop does not know them when it answers a keystroke, and a text is seldom set on one.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from .compositor import chosen_values, compose_preview, native_size
from .spec import DEFAULT_BACKGROUND, IMAGE_KINDS, LayerSpec, is_colour, rgb

#: WCAG 2's minimum for large text (1.4.3) and for graphics (1.4.11): a printed name or a
#: monogram is large text. Below it the studio warns.
MIN_CONTRAST: Final = 3.0
#: The share of the box whose background the ratio must hold over.
COVERAGE: Final = 0.8
#: The longest side, in pixels, of the small composition the box is read from.
SAMPLE_SIZE: Final = 160


@dataclass(frozen=True)
class Legibility:
    """How well a text layer's colour reads on what is under it."""

    ratio: float  # met over COVERAGE of the box, 1.0 (invisible) to 21.0 (black on white)
    colour: str  # the text's colour, #rrggbb
    background: str  # the box's typical colour (its median pixel), #rrggbb

    @property
    def readable(self) -> bool:
        return self.ratio >= MIN_CONTRAST


def contrast_ratio(first: str | tuple[int, int, int], second: str | tuple[int, int, int]) -> float:
    """WCAG 2's contrast ratio of two sRGB colours (1.0 to 21.0)."""
    a = relative_luminance(rgb(first) if isinstance(first, str) else first)
    b = relative_luminance(rgb(second) if isinstance(second, str) else second)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def relative_luminance(colour: tuple[int, int, int]) -> float:
    red, green, blue = (_LINEAR[channel] for channel in colour[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


_LINEAR: Final = tuple(_linear(channel) for channel in range(256))


def text_legibility(
    layers: Sequence[LayerSpec],
    selection: Mapping[str, object],
    group: str,
    *,
    colour: str | None = None,
    background: str = DEFAULT_BACKGROUND,
) -> Legibility | None:
    """How the text of ``group`` reads on its first text layer in ``layers`` (one view's),
    in the colour the selection gives it (or ``colour``); None when the view has no text
    layer for the group."""
    found = next(
        (
            (index, layer)
            for index, layer in enumerate(layers)
            if layer.kind == "text" and layer.group == group and layer.region is not None
        ),
        None,
    )
    if found is None:
        return None
    index, layer = found
    text_colour = colour or layer.styled(selection).text_color
    if not is_colour(text_colour):
        return None
    luminances, middle = _under(
        tuple(layers[:index]), _key(layers[:index], selection), layer, background
    )
    text = relative_luminance(rgb(text_colour))
    ratios = (np.maximum(luminances, text) + 0.05) / (np.minimum(luminances, text) + 0.05)
    kth = int(len(ratios) * (1 - COVERAGE))
    return Legibility(
        ratio=round(float(np.partition(ratios, kth)[kth]), 2),
        colour=text_colour.lower(),
        background="#{:02x}{:02x}{:02x}".format(*middle),
    )


def best_colour(
    legibility_of: Mapping[str, Legibility],
) -> str | None:
    """Of the candidate colours (value code -> how it reads), the one that reads best, when
    it reads well enough."""
    if not legibility_of:
        return None
    code, best = max(legibility_of.items(), key=lambda item: item[1].ratio)
    return code if best.readable else None


def _key(
    layers: Sequence[LayerSpec], selection: Mapping[str, object]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """What the composition under a text depends on: the values chosen in its layers'
    groups."""
    groups = sorted({layer.group for layer in layers if layer.group})
    return tuple((group, chosen_values(selection.get(group))) for group in groups)


@functools.lru_cache(maxsize=512)
def _under(
    below: tuple[LayerSpec, ...],
    key: tuple[tuple[str, tuple[str, ...]], ...],
    text: LayerSpec,
    background: str,
) -> tuple[np.ndarray, tuple[int, int, int]]:
    """The relative luminance of each pixel under ``text``'s box, and the box's median
    colour, composed small from the picture layers ``below`` for the choices in ``key``
    (kept: a monogram typed key by key asks the same)."""
    selection = {group: list(values) for group, values in key}
    pictures = [layer for layer in below if layer.kind in IMAGE_KINDS]
    canvas = compose_preview(
        layers=pictures, selection=selection, size=SAMPLE_SIZE, background=background
    )
    assert text.region is not None
    # The box is in the base picture's pixels, the canvas that picture made small.
    box = text.region.scaled(canvas.width / native_size(pictures)[0])
    crop = canvas.crop((box.x, box.y, box.right, box.bottom)).convert("RGB")
    data = crop.get_flattened_data() if hasattr(crop, "get_flattened_data") else crop.getdata()
    pixels = sorted(data or (rgb(background),), key=relative_luminance)
    luminances = np.array([relative_luminance(pixel) for pixel in pixels])
    luminances.setflags(write=False)  # kept and shared
    return luminances, pixels[len(pixels) // 2]
