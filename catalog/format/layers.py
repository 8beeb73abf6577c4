"""Reading the preview layers of a document (its ``extensions.preview_layers``)."""

from __future__ import annotations

from typing import Any

from ..models import LayerKind
from .codes import INT, SMALL_INT
from .data import GroupData, LayerData
from .shapes import SWATCH_RE, ShapeReader, show

_LAYER_KEYS = (
    "kind", "group", "value", "image", "font", "text_color", "x", "y", "width", "height",
    "print_dpi", "print_width_mm", "print_height_mm",
)  # fmt: skip


class LayerReader(ShapeReader):
    def layers(self, raw: Any, groups: dict[str, GroupData]) -> tuple[LayerData, ...]:
        path = "$.extensions.preview_layers"
        layers: list[LayerData] = []
        for i, raw_layer in enumerate(self.lst(raw, path, "Preview layers")):
            layer = self.layer(raw_layer, f"{path}[{i}]", groups)
            if layer is not None:
                layers.append(layer)
        return tuple(layers)

    def layer(self, raw: Any, path: str, groups: dict[str, GroupData]) -> LayerData | None:
        if (raw := self.obj(raw, path, "A preview layer")) is None:
            return None
        self.keys(raw, path, required=("kind",), optional=_LAYER_KEYS[1:])
        kind, group_code, value_code = raw.get("kind"), raw.get("group"), raw.get("value")
        valid = True
        if kind not in LayerKind.values:
            self.add("format.E061", f"{path}.kind", f"Unknown layer kind {show(kind)}.")
            valid = False
        group = groups.get(group_code) if isinstance(group_code, str) else None
        if group_code is not None and group is None:
            self.add("format.E061", f"{path}.group", f"Unknown group {show(group_code)}.")
            valid = False
        if value_code is not None and (
            group is None or value_code not in {value.code for value in group.values}
        ):
            self.add(
                "format.E061",
                f"{path}.value",
                f"Unknown value {show(value_code)} of group {show(group_code)}.",
            )
            valid = False
        text_color = self.text(raw.get("text_color"), f"{path}.text_color", max_length=7)
        if text_color and not SWATCH_RE.match(text_color):
            self.add("format.E033", f"{path}.text_color", "Use a colour #rrggbb.")
        numbers = {
            key: self.integer(raw.get(key), f"{path}.{key}", low=0, high=INT)
            for key in ("x", "y", "width", "height", "print_width_mm", "print_height_mm")
        }
        dpi = self.integer(raw.get("print_dpi"), f"{path}.print_dpi", low=1, high=SMALL_INT)
        image = self.text(raw.get("image"), f"{path}.image", max_length=100)
        font = self.text(raw.get("font"), f"{path}.font", max_length=100)
        if not valid:
            return None
        return LayerData(
            kind=str(kind),
            group=group_code,
            value=value_code,
            image=image,
            font=font,
            text_color=text_color,
            x=numbers["x"] or 0,
            y=numbers["y"] or 0,
            width=numbers["width"],
            height=numbers["height"],
            print_dpi=dpi if dpi is not None else 300,
            print_width_mm=numbers["print_width_mm"],
            print_height_mm=numbers["print_height_mm"],
        )
