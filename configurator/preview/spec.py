"""What a preview is made of: layer specs, allow-lists, problems with stable codes.

Pure data: no Django, no storage. A caller (the studio, production) turns the merchant's
``PreviewLayer`` rows into :class:`LayerSpec` values once per option-set version and passes
them with the shopper's selection to :func:`configurator.preview.compositor.render_preview`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final, Literal, TypeAlias

#: A picture or font: a filesystem path, or the encoded file's bytes.
Source: TypeAlias = str | os.PathLike[str] | bytes

KINDS: Final = ("base", "tint", "texture", "overlay", "text", "artwork")
#: Layer kinds drawn from the merchant's picture (the others draw the shopper's input).
IMAGE_KINDS: Final = ("base", "tint", "texture", "overlay")

#: Output sizes: the longest side of the preview, in pixels.
SIZES: Final = (256, 512, 1024)
FORMATS: Final = ("webp", "png", "jpeg")
CONTENT_TYPES: Final = {"webp": "image/webp", "png": "image/png", "jpeg": "image/jpeg"}
DEFAULT_BACKGROUND: Final = "#f7f4ef"
DEFAULT_TEXT_COLOR: Final = "#222222"

Format = Literal["webp", "png", "jpeg"]

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Box:
    """A rectangle in the base picture's pixels: left, top, width, height."""

    x: int
    y: int
    width: int
    height: int

    def scaled(self, factor: float) -> Box:
        """The box on a canvas ``factor`` times the base's size (at least 1 px each way)."""
        left, top = round(self.x * factor), round(self.y * factor)
        right = round((self.x + self.width) * factor)
        bottom = round((self.y + self.height) * factor)
        return Box(left, top, max(1, right - left), max(1, bottom - top))

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def bottom(self) -> int:
        return self.y + self.height


@dataclass(frozen=True)
class LayerSpec:
    """One layer, drawn in sequence order.

    - ``base``: always drawn (the product's picture).
    - ``tint``: a mask coloured by the swatch of the value chosen in ``group`` (``swatches``
      maps value codes to ``#rrggbb``), or by the fixed ``tint`` colour. The mask's grey
      levels are multiplied by the colour, so its shading stays; its alpha says where paint
      goes (a mask without alpha is a coverage mask: white paints, black does not).
    - ``texture``: a material's pattern, clipped to the base layers' silhouette.
    - ``overlay``: a design drawn as it is.
    - ``text``: the group's text in ``font`` and ``text_color``, fitted into ``box``; with a
      ``color_group`` the colour is the swatch (``swatches``) of the value chosen there, with
      a ``font_group`` the font is that value's (``fonts``): the shopper's choice among the
      merchant's lists.
    - ``artwork``: the shopper's picture for ``group``, fitted into ``box`` (the print area).

    Any layer with a ``value`` is drawn only while that value is chosen in ``group``.
    """

    kind: str
    image: Source | None = None
    group: str = ""
    value: str = ""
    tint: str = ""
    swatches: tuple[tuple[str, str], ...] | Mapping[str, str] = ()
    box: Box | tuple[int, int, int, int] | None = None
    font: Source | None = None
    text_color: str = DEFAULT_TEXT_COLOR
    color_group: str = ""
    font_group: str = ""
    fonts: tuple[tuple[str, Source], ...] | Mapping[str, Source] = ()

    def __post_init__(self) -> None:
        if isinstance(self.swatches, Mapping):
            object.__setattr__(self, "swatches", tuple(sorted(self.swatches.items())))
        if isinstance(self.fonts, Mapping):
            object.__setattr__(self, "fonts", tuple(sorted(self.fonts.items())))
        if isinstance(self.box, tuple):
            object.__setattr__(self, "box", Box(*self.box))

    def styled(self, selection: Mapping[str, object]) -> LayerSpec:
        """This text layer in the colour and font chosen in its groups (itself when none is
        chosen, or the chosen value has no swatch or font)."""
        colour, font = self.text_color, self.font
        chosen = selection.get(self.color_group) if self.color_group else None
        if isinstance(chosen, str):
            colour = self.swatch_for(chosen) or colour
        chosen = selection.get(self.font_group) if self.font_group else None
        if isinstance(chosen, str):
            fonts = self.fonts if isinstance(self.fonts, Mapping) else dict(self.fonts)
            font = fonts.get(chosen, font)
        if (colour, font) == (self.text_color, self.font):
            return self
        return replace(self, text_color=colour, font=font)

    @property
    def swatch_pairs(self) -> tuple[tuple[str, str], ...]:
        if isinstance(self.swatches, Mapping):  # only before __post_init__ ran
            return tuple(sorted(self.swatches.items()))
        return self.swatches

    def swatch_for(self, value: str) -> str:
        """The colour this tint layer paints for ``value`` ('' when it has none)."""
        for code, colour in self.swatch_pairs:
            if code == value:
                return colour
        return ""

    @property
    def region(self) -> Box | None:
        return self.box if isinstance(self.box, Box) else None


@dataclass(frozen=True)
class Problem:
    code: str
    path: str
    message: str


class PreviewError(ValueError):
    """Raised with every problem found, each with a stable code and a path."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("; ".join(f"{p.code} {p.path}: {p.message}" for p in self.problems))

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


def is_colour(value: object) -> bool:
    return isinstance(value, str) and bool(_COLOUR.match(value))


def rgb(colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` as a tuple of three 0–255 integers."""
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def output_problems(*, size: object, format: object) -> list[Problem]:
    problems = []
    if size not in SIZES:
        allowed = ", ".join(map(str, SIZES))
        problems.append(Problem("preview.E001", "size", f"Size must be one of {allowed}."))
    if format not in FORMATS:
        allowed = ", ".join(FORMATS)
        problems.append(Problem("preview.E002", "format", f"Format must be one of {allowed}."))
    return problems


def layer_problems(layers: Sequence[LayerSpec]) -> list[Problem]:
    """Every problem in the layers' definitions (not in their files), in order."""
    problems: list[Problem] = []
    for index, layer in enumerate(layers):
        problems.extend(_one_layer(layer, f"layers[{index}]"))
    return problems


def _one_layer(layer: LayerSpec, path: str) -> list[Problem]:
    out: list[Problem] = []
    if layer.kind not in KINDS:
        return [Problem("preview.E003", f"{path}.kind", f"Unknown layer kind {layer.kind!r}.")]
    if layer.kind in IMAGE_KINDS and not layer.image:
        out.append(Problem("preview.E006", f"{path}.image", "This kind of layer needs a picture."))
    if layer.value and not layer.group:
        out.append(Problem("preview.E007", f"{path}.group", "A layer with a value needs a group."))
    if layer.kind in ("text", "artwork"):
        if not layer.group:
            out.append(Problem("preview.E007", f"{path}.group", "This layer needs a group."))
        box = layer.region
        if box is None or box.width <= 0 or box.height <= 0 or box.x < 0 or box.y < 0:
            out.append(Problem("preview.E005", f"{path}.box", "Give a box of positive size."))
    if layer.kind == "tint":
        if not layer.group and not layer.tint:
            out.append(
                Problem("preview.E007", f"{path}.group", "A tint needs a group or a colour.")
            )
        if layer.tint and not is_colour(layer.tint):
            out.append(Problem("preview.E004", f"{path}.tint", "Use a colour like #1f2a44."))
        for code, colour in layer.swatch_pairs:
            if not is_colour(colour):
                out.append(
                    Problem("preview.E004", f"{path}.swatches.{code}", "Use a colour like #1f2a44.")
                )
    if layer.kind == "text" and not is_colour(layer.text_color):
        out.append(Problem("preview.E004", f"{path}.text_color", "Use a colour like #1f2a44."))
    return out
