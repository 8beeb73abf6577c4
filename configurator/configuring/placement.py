"""Where the shopper placed their picture and text: read from the selection, checked, kept.

A selection carries its placements under ``"@placement"`` (``configurator.preview.placement``:
group codes never hold "@"), so they travel with it to previews, designs, cart lines and
orders. The server checks them against each area the element is drawn in (the preview
layer's box and the print area, which production prints), so what the shopper placed
stays inside the merchant's print area on the screen and on the product.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from configurator.engine import Engine, ImageInfo
from configurator.preview.placement import (
    FIELDS,
    IDENTITY,
    MAX_ROTATION,
    MAX_SCALE,
    MIN_SCALE,
    PLACEMENT_KEY,
    Placement,
    normalized,
    placement_problems,
    placements_read,
)

from .errors import SelectionCode, SelectionProblem
from .evaluation import localized

CODE_SHAPE = SelectionCode.PLACEMENT_SHAPE
CODE_GROUP = SelectionCode.PLACEMENT_GROUP
CODE_SCALE = SelectionCode.PLACEMENT_SCALE
CODE_ROTATION = SelectionCode.PLACEMENT_ROTATION
CODE_OUTSIDE = SelectionCode.PLACEMENT_OUTSIDE

__all__ = [
    "PLACEMENT_KEY",
    "Placement",
    "placement_areas",
    "placements_json",
    "placements_parse",
    "selection_placements",
]

#: The print area production uses for a group whose layers name none (production.package).
DEFAULT_PRINT_AREA = (80.0, 30.0)

_areas: weakref.WeakKeyDictionary[Engine, dict[str, tuple[tuple[float, float], ...]]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()


def placement_areas(engine: Engine) -> dict[str, tuple[tuple[float, float], ...]]:
    """Each placeable group (a text or picture group with a preview box) and the sizes of
    the areas its element is drawn in: each layer's box, and the print area."""
    with _lock:
        found = _areas.get(engine)
    if found is not None:
        return found
    extensions = engine.presentation.get("extensions") or {}
    boxes: dict[str, list[tuple[float, float]]] = {}
    printed: dict[str, tuple[float, float]] = {}
    for layer in extensions.get("preview_layers") or ():
        group = str(layer.get("group") or "")
        spec = engine.groups.get(group)
        if spec is None or spec.kind not in ("text", "image"):
            continue
        width, height = layer.get("print_width_mm"), layer.get("print_height_mm")
        if width and height:
            printed.setdefault(group, (float(width), float(height)))
        if layer.get("kind") in ("text", "artwork") and layer.get("width") and layer.get("height"):
            boxes.setdefault(group, []).append((float(layer["width"]), float(layer["height"])))
    areas = {
        group: (*sizes, printed.get(group, DEFAULT_PRINT_AREA)) for group, sizes in boxes.items()
    }
    with _lock:
        _areas[engine] = areas
    return areas


def placements_parse(
    *, engine: Engine, raw: Any, selection: Mapping[str, Any], language: str
) -> dict[str, Placement]:
    """The placements of ``raw`` (the selection's ``"@placement"``), checked; those of a
    group with nothing to place (no picture, no text) are left out.

    Raises :class:`SelectionProblem`: not an object or not numbers (``placement.E001``), a
    group that is unknown or cannot be placed (``placement.E002``), a scale outside 10–100%
    (``placement.E003``), a turn beyond ±180° (``placement.E004``), an element leaving the
    print area (``placement.E005``). Messages are in ``language``.
    """
    if raw is None:
        return {}
    field = f"selection.{PLACEMENT_KEY}"
    areas = placement_areas(engine)
    with translation.override(language):
        if not isinstance(raw, Mapping) or len(raw) > len(engine.groups):
            raise SelectionProblem(CODE_SHAPE, _shape_message(), field)
        out: dict[str, Placement] = {}
        for group, entry in raw.items():
            path = f"{field}.{group}"
            spec = engine.groups.get(group)
            if spec is None:
                message = _("Unknown option group “%(code)s”.") % {"code": str(group)[:64]}
                raise SelectionProblem(CODE_GROUP, message, path)
            name = localized(spec.name, language)
            if group not in areas:
                message = _("“%(name)s” cannot be moved or turned.") % {"name": name}
                raise SelectionProblem(CODE_GROUP, message, path)
            placement = _entry(entry, path)
            chosen = selection.get(group)
            if not chosen:
                continue  # nothing to place (yet): the placement is not kept
            item = (chosen.width, chosen.height) if isinstance(chosen, ImageInfo) else None
            problems = placement_problems(placement, item=item, areas=areas[group], path=path)
            if problems:
                raise SelectionProblem(problems[0].code, _message(problems[0].code, name), path)
            out[group] = placement
        return out


def _entry(entry: Any, path: str) -> Placement:
    if not isinstance(entry, Mapping):
        raise SelectionProblem(CODE_SHAPE, _shape_message(), path)
    numbers = IDENTITY.as_dict()
    for key, value in entry.items():
        if key not in FIELDS:
            raise SelectionProblem(CODE_SHAPE, _shape_message(), f"{path}.{str(key)[:32]}")
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise SelectionProblem(CODE_SHAPE, _shape_message(), f"{path}.{key}")
        numbers[key] = float(value)
    for key in ("x", "y"):
        if not 0 <= numbers[key] <= 1:
            message = _("Place it inside the print area (0 to 1 from its edge).")
            raise SelectionProblem(CODE_OUTSIDE, message, f"{path}.{key}")
    return normalized(numbers["x"], numbers["y"], numbers["scale"], numbers["rotation"])


def _shape_message() -> str:
    return _("Give the placement as numbers: x, y, scale and rotation.")


def _message(code: str, name: str) -> str:
    if code == CODE_SCALE:
        return _("The size of %(name)s must be between %(min)s%% and %(max)s%%.") % {
            "name": name,
            "min": round(MIN_SCALE * 100),
            "max": round(MAX_SCALE * 100),
        }
    if code == CODE_ROTATION:
        return _("%(name)s turns at most %(max)s° either way.") % {
            "name": name,
            "max": round(MAX_ROTATION),
        }
    assert code == CODE_OUTSIDE
    return _(
        "%(name)s must stay inside the print area: move it towards the middle or make it smaller."
    ) % {"name": name}


def selection_placements(
    engine: Engine, raw: Mapping[str, Any], parsed: Mapping[str, Any]
) -> dict[str, Placement]:
    """The placements of a selection already checked (``raw`` as sent, ``parsed`` as read),
    kept for the groups that have something placed, less those that change nothing."""
    areas = placement_areas(engine)
    return {
        group: placement
        for group, placement in placements_read(raw).items()
        if group in areas and parsed.get(group) and not placement.is_identity
    }


def placements_json(placements: Mapping[str, Placement]) -> dict[str, dict[str, float]]:
    return {group: placement.as_dict() for group, placement in placements.items()}
