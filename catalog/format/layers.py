"""Reading the views and preview layers of a document (``extensions.views`` and
``extensions.preview_layers``)."""

from __future__ import annotations

from typing import Any

from ..models import DEFAULT_VIEW, LayerKind
from .codes import INT, MAX_VIEWS, SMALL_INT
from .data import GroupData, LayerData, Names, ViewData
from .shapes import SWATCH_RE, ShapeReader, show

_LAYER_KEYS = (
    "kind", "view", "group", "value", "image", "font", "text_color", "color_group", "font_group",
    "x", "y", "width", "height", "print_dpi", "print_width_mm", "print_height_mm",
)  # fmt: skip


def default_view() -> ViewData:
    """The view of a document that names none: "Mặt trước" / "Front", printed."""
    return ViewData(
        code=DEFAULT_VIEW["code"],
        name=Names(vi=DEFAULT_VIEW["name_vi"], en=DEFAULT_VIEW["name_en"]),
        prints=DEFAULT_VIEW["prints"],
    )


class LayerReader(ShapeReader):
    def views(self, raw: Any) -> tuple[ViewData, ...]:
        """The document's views, in order (``()`` when it names none)."""
        path = "$.extensions.views"
        if raw is None:
            return ()
        items = self.lst(raw, path, "Views")
        if len(items) > MAX_VIEWS:
            self.add("format.E064", path, f"At most {MAX_VIEWS} views, not {len(items)}.")
            return ()
        views: list[ViewData] = []
        for i, raw_view in enumerate(items):
            where = f"{path}[{i}]"
            if (raw_view := self.obj(raw_view, where, "A view")) is None:
                continue
            self.keys(raw_view, where, required=("code", "name"), optional=("prints",))
            code = self.code(raw_view.get("code"), f"{where}.code", "format.E062", "A view code")
            if code is not None and code in {view.code for view in views}:
                self.add("format.E062", f"{where}.code", f"Duplicate view code {show(code)}.")
                code = None
            name = self.names(raw_view.get("name"), f"{where}.name", required=True, max_length=200)
            prints = self.boolean(raw_view.get("prints"), f"{where}.prints", default=True)
            if code is not None:
                views.append(ViewData(code=code, name=name, prints=prints))
        return tuple(views)

    def layers(
        self, raw: Any, groups: dict[str, GroupData], views: tuple[ViewData, ...] = ()
    ) -> tuple[LayerData, ...]:
        path = "$.extensions.preview_layers"
        codes = {view.code for view in views} or {DEFAULT_VIEW["code"]}
        layers: list[LayerData] = []
        for i, raw_layer in enumerate(self.lst(raw, path, "Preview layers")):
            layer = self.layer(raw_layer, f"{path}[{i}]", groups, codes)
            if layer is not None:
                layers.append(layer)
        return tuple(layers)

    def layer(
        self, raw: Any, path: str, groups: dict[str, GroupData], views: set[str]
    ) -> LayerData | None:
        if (raw := self.obj(raw, path, "A preview layer")) is None:
            return None
        self.keys(raw, path, required=("kind",), optional=_LAYER_KEYS[1:])
        kind, group_code, value_code = raw.get("kind"), raw.get("group"), raw.get("value")
        view = raw.get("view")
        valid = True
        if kind not in LayerKind.values:
            self.add("format.E061", f"{path}.kind", f"Unknown layer kind {show(kind)}.")
            valid = False
        if view is not None and (not isinstance(view, str) or view not in views):
            known = ", ".join(sorted(views))
            self.add("format.E063", f"{path}.view", f"Unknown view {show(view)}; views: {known}.")
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
        styles = {}
        for key in ("color_group", "font_group"):
            code = raw.get(key)
            if code is None:
                continue
            styled = groups.get(code) if isinstance(code, str) else None
            if styled is None or styled.kind != "choice" or kind != "text":
                self.add(
                    "format.E061",
                    f"{path}.{key}",
                    f"{show(code)} is not a choose-one group of the document, or the layer "
                    "is not a text layer.",
                )
                valid = False
            else:
                styles[key] = code
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
            view=str(view or ""),
            group=group_code,
            value=value_code,
            image=image,
            font=font,
            text_color=text_color,
            color_group=styles.get("color_group"),
            font_group=styles.get("font_group"),
            x=numbers["x"] or 0,
            y=numbers["y"] or 0,
            width=numbers["width"],
            height=numbers["height"],
            print_dpi=dpi if dpi is not None else 300,
            print_width_mm=numbers["print_width_mm"],
            print_height_mm=numbers["print_height_mm"],
        )
