"""Where a shopper placed their picture or text inside the merchant's print area.

Pure geometry, shared by the live preview and the print artwork so that both draw the same
thing. A placement is relative to the area it is drawn in, never to pixels:

- ``x``, ``y``: the element's centre as fractions of the area's width and height (0.5, 0.5
  is the middle);
- ``scale``: the element's size as a fraction of its fitted size (1 is as large as fits the
  area, the look without a placement);
- ``rotation``: degrees, clockwise, about the element's centre.

The element is the shopper's picture (its aspect kept) or, for a text, the text box (the
area itself, scaled). A placement keeps the element inside the area: its rotated bounding
box may not cross the area's edges (:func:`placement_problems`).

A selection carries the placements under :data:`PLACEMENT_KEY` (group codes never hold
"@"), so they travel wherever the selection does: previews, designs, cart lines, orders.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from PIL import Image

from .spec import Box, Problem, Source
from .text import fit_text, text_mask

#: The selection's key for placements: ``{"@placement": {group: {x, y, scale, rotation}}}``.
PLACEMENT_KEY: Final = "@placement"
FIELDS: Final = ("x", "y", "scale", "rotation")
MIN_SCALE, MAX_SCALE = 0.1, 1.0
MAX_ROTATION = 180.0
#: Slack on the area's edges (a fraction of its side): rounding never refuses a placement.
EDGE_TOLERANCE = 0.002

CODE_SHAPE: Final = "placement.E001"  # not an object, unknown key, not a number
CODE_GROUP: Final = "placement.E002"  # unknown group, or one that cannot be placed
CODE_SCALE: Final = "placement.E003"
CODE_ROTATION: Final = "placement.E004"
CODE_OUTSIDE: Final = "placement.E005"  # the element would leave the print area


@dataclass(frozen=True)
class Placement:
    x: float = 0.5
    y: float = 0.5
    scale: float = 1.0
    rotation: float = 0.0

    @property
    def is_identity(self) -> bool:
        return self == IDENTITY

    def as_dict(self) -> dict[str, float]:
        return {"x": self.x, "y": self.y, "scale": self.scale, "rotation": self.rotation}


IDENTITY: Final = Placement()


def normalized(x: float, y: float, scale: float, rotation: float) -> Placement:
    """The placement as kept: fractions to 4 decimals, degrees to 1 (one key per look)."""
    return Placement(round(x, 4), round(y, 4), round(scale, 4), round(rotation, 1) + 0.0)


def fitted_size(item: tuple[float, float] | None, area: tuple[float, float]) -> tuple[float, float]:
    """The element's size at scale 1 in an area: the item fitted (aspect kept), or the
    area itself for a text (``item`` None)."""
    if item is None or item[0] <= 0 or item[1] <= 0:
        return area
    factor = min(area[0] / item[0], area[1] / item[1])
    return (item[0] * factor, item[1] * factor)


def extent(size: tuple[float, float], rotation: float) -> tuple[float, float]:
    """The bounding box of a ``size`` rectangle rotated by ``rotation`` degrees."""
    angle = math.radians(rotation)
    cos, sin = abs(math.cos(angle)), abs(math.sin(angle))
    return (size[0] * cos + size[1] * sin, size[0] * sin + size[1] * cos)


def placement_problems(
    placement: Placement,
    *,
    item: tuple[float, float] | None,
    areas: Iterable[tuple[float, float]],
    path: str,
) -> list[Problem]:
    """Every problem of a placement: scale or rotation out of range, or the element leaving
    one of ``areas`` (each area it is drawn in: the preview's box, the print area)."""
    problems = []
    if not MIN_SCALE <= placement.scale <= MAX_SCALE:
        problems.append(Problem(CODE_SCALE, f"{path}.scale", "scale out of range"))
    if not -MAX_ROTATION <= placement.rotation <= MAX_ROTATION:
        problems.append(Problem(CODE_ROTATION, f"{path}.rotation", "rotation out of range"))
    if problems:
        return problems
    for area in areas:
        if area[0] <= 0 or area[1] <= 0:
            continue
        fitted = fitted_size(item, area)
        width, height = extent(
            (fitted[0] * placement.scale, fitted[1] * placement.scale), placement.rotation
        )
        half_x = width / 2 / area[0] - EDGE_TOLERANCE
        half_y = height / 2 / area[1] - EDGE_TOLERANCE
        if not (half_x <= placement.x <= 1 - half_x and half_y <= placement.y <= 1 - half_y):
            problems.append(Problem(CODE_OUTSIDE, path, "leaves the print area"))
            break
    return problems


def placements_read(selection: Mapping[str, object]) -> dict[str, Placement]:
    """The placements a selection carries, read leniently for drawing: entries that are
    not well formed are left out, numbers are held to their ranges. (The server checks
    them strictly before it keeps a selection: ``configuring.placement``.)"""
    raw = selection.get(PLACEMENT_KEY)
    if not isinstance(raw, Mapping):
        return {}
    out: dict[str, Placement] = {}
    for group, entry in raw.items():
        if not isinstance(group, str) or not isinstance(entry, Mapping):
            continue
        numbers = {}
        for name, default in IDENTITY.as_dict().items():
            value = entry.get(name, default)
            if isinstance(value, bool) or not isinstance(value, int | float):
                break
            if not math.isfinite(value):
                break
            numbers[name] = float(value)
        else:
            out[group] = normalized(
                min(1.0, max(0.0, numbers["x"])),
                min(1.0, max(0.0, numbers["y"])),
                min(MAX_SCALE, max(MIN_SCALE, numbers["scale"])),
                min(MAX_ROTATION, max(-MAX_ROTATION, numbers["rotation"])),
            )
    return out


def scaled_size(fitted: tuple[float, float], scale: float) -> tuple[int, int]:
    """The element's size in whole pixels (at least one each way)."""
    return (max(1, round(fitted[0] * scale)), max(1, round(fitted[1] * scale)))


def rotated(image: Image.Image, rotation: float) -> Image.Image:
    """The image turned ``rotation`` degrees clockwise, grown to hold it (transparent or
    black corners: RGBA and L images only)."""
    if not rotation:
        return image
    return image.rotate(-rotation, resample=Image.Resampling.BICUBIC, expand=True)


def centred_offset(box: Box, placement: Placement, size: tuple[int, int]) -> tuple[int, int]:
    """Where an image of ``size`` goes so that its centre is the placement's centre."""
    centre_x = box.x + placement.x * box.width
    centre_y = box.y + placement.y * box.height
    return (math.floor(centre_x - size[0] / 2 + 0.5), math.floor(centre_y - size[1] / 2 + 0.5))


def place_picture(
    picture: Image.Image, box: Box, placement: Placement
) -> tuple[Image.Image, tuple[int, int]]:
    """The picture (RGBA) fitted into ``box``, scaled, turned, and where it goes."""
    fitted = fitted_size((picture.width, picture.height), (box.width, box.height))
    size = scaled_size(fitted, placement.scale)
    resized = picture
    if size != picture.size:
        resized = picture.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    if resized.mode != "RGBA":
        resized = resized.convert("RGBA")
    turned = rotated(resized, placement.rotation)
    return turned, centred_offset(box, placement, turned.size)


def place_text(
    text: str, box: Box, placement: Placement, font: Source | None
) -> tuple[Image.Image, tuple[int, int]] | None:
    """The text set as large as fits the scaled box, turned: an L mask and where it goes;
    None for blank text."""
    width, height = scaled_size((box.width, box.height), placement.scale)
    local = Box(0, 0, width, height)
    fit = fit_text(text, box=local, font=font)
    if fit is None:
        return None
    mask = rotated(text_mask(fit, font=font, region=local), placement.rotation)
    return mask, centred_offset(box, placement, mask.size)
