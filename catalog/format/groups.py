"""Reading the groups of a document and the values of its choice and multi groups."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..models import GroupKind
from ..numbers import (
    Grid,
    NumberError,
    TooManyValues,
    grid_of,
    number_text,
    parse_formula,
    parse_number,
)
from ..patterns import pattern_problem
from .codes import IMAGE_FORMATS, INT, SMALL_INT
from .data import GroupData, ValueData
from .shapes import SWATCH_RE, ShapeReader, show

_GROUP_COMMON = ("code", "name", "kind", "step", "required", "max_visible_values", "help")
_GROUP_KIND_KEYS: dict[str, tuple[str, ...]] = {
    "choice": ("values", "library"),
    "multi": ("values", "library", "min", "max"),
    "text": ("max_length", "pattern", "price_delta", "price_per_char", "cost", "cost_per_char"),
    "image": ("max_bytes", "min_width", "min_height", "formats", "price_delta", "cost"),
    "number": (
        "minimum",
        "maximum",
        "increment",
        "default",
        "unit",
        "price_per_unit",
        "price_formula",
    ),
}
_NUMBER_REQUIRED = ("minimum", "maximum", "increment")
_GROUP_KIND_ONLY = {key for keys in _GROUP_KIND_KEYS.values() for key in keys}
_VALUE_KEYS = (
    "code",
    "name",
    "price_delta",
    "cost",
    "production_code",
    "swatch",
    "attributes",
    "default",
)


class GroupReader(ShapeReader):
    def groups(self, raw: Any) -> tuple[GroupData, ...]:
        groups: list[GroupData] = []
        seen: set[str] = set()
        where: dict[str, int] = {}
        for i, raw_group in enumerate(self.lst(raw, "$.groups", "Groups")):
            group = self.group(raw_group, f"$.groups[{i}]")
            if group is None:
                continue
            if group.code in seen:
                self.add("format.E021", f"$.groups[{i}].code", f"Duplicate group “{group.code}”.")
                continue
            seen.add(group.code)
            where[group.code] = i
            groups.append(group)
        numbers = {g.code for g in groups if g.kind == GroupKind.NUMBER}
        for group in groups:
            if group.price_formula:
                self.formula(group, f"$.groups[{where[group.code]}].price_formula", numbers)
        return tuple(groups)

    def formula(self, group: GroupData, path: str, numbers: set[str]) -> None:
        """Report a price formula that does not parse or reads other than number groups."""
        if group.price_per_unit is not None:
            self.add("format.E039", path, "Give a price per unit or a formula, not both.")
        try:
            formula = parse_formula(group.price_formula)
        except NumberError as exc:
            self.add("format.E039", path, f"Invalid formula: {exc}.")
            return
        for code in formula.groups:
            if code not in numbers:
                self.add(
                    "format.E039", path, f"“{code}” in the formula is not a measurement group."
                )

    def group(self, raw: Any, path: str) -> GroupData | None:
        if (raw := self.obj(raw, path, "A group")) is None:
            return None
        kind = raw.get("kind")
        if kind is not None and kind not in GroupKind.values:
            self.add(
                "format.E022",
                f"{path}.kind",
                f"Unknown kind {show(kind)}; use choice, multi, text, image or number.",
            )
        # An unknown or missing kind is reported once; its fields are not judged against it.
        kind_keys = _GROUP_KIND_KEYS.get(str(kind), tuple(_GROUP_KIND_ONLY))
        self.keys(
            raw,
            path,
            required=("code", "name", "kind") + (_NUMBER_REQUIRED if kind == "number" else ()),
            optional=_GROUP_COMMON[3:] + tuple(kind_keys),
            misplaced=_GROUP_KIND_ONLY - set(kind_keys),
            kind=str(kind),
        )
        code = self.code(raw.get("code"), f"{path}.code", "format.E020", "A group code")
        extensions = self.extensions(raw, path)
        curated = self.boolean(
            extensions.get("curated_order"), f"{path}.extensions.curated_order", default=False
        )
        values = self.values(raw, path, kind) if kind in ("choice", "multi") else ()
        low = self.integer(raw.get("min"), f"{path}.min", low=0, high=SMALL_INT)
        high = self.integer(raw.get("max"), f"{path}.max", low=1, high=SMALL_INT)
        if low is not None and high is not None and low > high:
            self.add("format.E025", f"{path}.min", f"min ({low}) is more than max ({high}).")
        pattern = self.text(raw.get("pattern"), f"{path}.pattern", max_length=500)
        if pattern and (problem := pattern_problem(pattern)) is not None:
            kind, reason = problem
            if kind == "syntax":
                self.add("format.E026", f"{path}.pattern", f"Invalid regular expression: {reason}.")
            else:
                self.add(
                    "format.E028",
                    f"{path}.pattern",
                    f"This regular expression cannot be matched in linear time: {reason} "
                    "(backreferences, lookaround and word boundaries are not supported).",
                )
        number = self.number_fields(raw, path) if kind == GroupKind.NUMBER else {}
        if code is None or kind not in GroupKind.values:
            return None
        library = raw.get("library")
        if library is not None:
            library = self.code(library, f"{path}.library", "format.E065", "A library code")
        return GroupData(
            code=code,
            library=library or "",
            name=self.names(raw.get("name"), f"{path}.name", required=True, max_length=200),
            kind=kind,
            values=values,
            step=self.integer(raw.get("step"), f"{path}.step", low=0, high=SMALL_INT),
            required=self.boolean(raw.get("required"), f"{path}.required", default=True),
            max_visible_values=self.integer(
                raw.get("max_visible_values"), f"{path}.max_visible_values", low=1, high=SMALL_INT
            ),
            help=self.names(raw.get("help"), f"{path}.help", required=False, max_length=100_000),
            curated_order=curated,
            min=low,
            max=high,
            max_length=self.integer(raw.get("max_length"), f"{path}.max_length", low=1, high=INT),
            pattern=pattern,
            price_delta=self.amount(raw.get("price_delta"), f"{path}.price_delta"),
            price_per_char=self.amount(raw.get("price_per_char"), f"{path}.price_per_char"),
            cost=self.amount(raw.get("cost"), f"{path}.cost", negative=False),
            cost_per_char=self.amount(
                raw.get("cost_per_char"), f"{path}.cost_per_char", negative=False
            ),
            max_bytes=self.integer(raw.get("max_bytes"), f"{path}.max_bytes", low=1, high=INT),
            min_width=self.integer(raw.get("min_width"), f"{path}.min_width", low=0, high=INT),
            min_height=self.integer(raw.get("min_height"), f"{path}.min_height", low=0, high=INT),
            formats=self.formats(raw.get("formats"), f"{path}.formats"),
            extensions={k: v for k, v in extensions.items() if k != "curated_order"},
            **number,
        )

    def number_fields(self, raw: dict[str, Any], path: str) -> dict[str, Any]:
        """A number group's own fields as :class:`GroupData` keywords, each problem reported."""
        found: dict[str, Decimal | None] = {}
        for key in ("minimum", "maximum", "increment", "default"):
            if key in _NUMBER_REQUIRED and key in raw and raw[key] is None:
                self.add("format.E005", f"{path}.{key}", 'Must be a number, e.g. "120".')
            found[key] = self.measure(raw.get(key), f"{path}.{key}")
        grid: Grid | None = None
        low, high, increment = found["minimum"], found["maximum"], found["increment"]
        if low is not None and high is not None and increment is not None:
            try:
                grid = grid_of(low, high, increment)
            except NumberError as exc:
                code = "format.E037" if isinstance(exc, TooManyValues) else "format.E036"
                self.add(code, f"{path}.maximum", f"{str(exc).capitalize()}.")
        default = found["default"]
        if grid is not None and default is not None and not grid.contains(default):
            self.add(
                "format.E038",
                f"{path}.default",
                f"{number_text(default)} is not one of {number_text(grid.minimum)} to "
                f"{number_text(grid.maximum)} by {number_text(grid.increment)}.",
            )
        return {
            "number_min": low,
            "number_max": high,
            "number_increment": increment,
            "number_default": default,
            "unit": self.text(raw.get("unit"), f"{path}.unit", max_length=16),
            "price_per_unit": self.amount(raw.get("price_per_unit"), f"{path}.price_per_unit"),
            "price_formula": self.text(
                raw.get("price_formula"), f"{path}.price_formula", max_length=500
            ),
        }

    def measure(self, raw: Any, path: str) -> Decimal | None:
        if raw is None:
            return None
        try:
            return parse_number(raw)
        except NumberError as exc:
            self.add("format.E035", path, f'{str(exc).capitalize()}; write e.g. "120".')
            return None

    def formats(self, raw: Any, path: str) -> tuple[str, ...]:
        if raw is None:
            return ()
        formats: list[str] = []
        for i, item in enumerate(self.lst(raw, path, "Formats")):
            if item in IMAGE_FORMATS:
                formats.append(item)
            else:
                self.add(
                    "format.E027",
                    f"{path}[{i}]",
                    f"Unknown image format {show(item)}; use {', '.join(IMAGE_FORMATS)}.",
                )
        return tuple(formats)

    def values(self, raw_group: dict[str, Any], path: str, kind: str) -> tuple[ValueData, ...]:
        if "values" not in raw_group:
            self.add("format.E004", f"{path}.values", "“values” is required.")
            return ()
        values: list[ValueData] = []
        seen: set[str] = set()
        defaults = 0
        for j, raw_value in enumerate(self.lst(raw_group["values"], f"{path}.values", "Values")):
            value = self.value(raw_value, f"{path}.values[{j}]")
            if value is None:
                continue
            if value.code in seen:
                self.add(
                    "format.E031", f"{path}.values[{j}].code", f"Duplicate value “{value.code}”."
                )
                continue
            seen.add(value.code)
            if value.default and kind == "choice":
                defaults += 1
                if defaults == 2:
                    self.add(
                        "format.E032",
                        f"{path}.values[{j}].default",
                        "A choice group has at most one default value.",
                    )
            values.append(value)
        return tuple(values)

    def value(self, raw: Any, path: str) -> ValueData | None:
        if (raw := self.obj(raw, path, "A value")) is None:
            return None
        self.keys(raw, path, required=("code", "name"), optional=_VALUE_KEYS[2:])
        code = self.code(raw.get("code"), f"{path}.code", "format.E030", "A value code")
        extensions = self.extensions(raw, path)
        swatch = self.text(raw.get("swatch"), f"{path}.swatch", max_length=7)
        if swatch and not SWATCH_RE.match(swatch):
            self.add("format.E033", f"{path}.swatch", f"Use a colour #rrggbb, not {show(swatch)}.")
        attributes = raw.get("attributes") or {}
        if not isinstance(attributes, dict) or not all(
            isinstance(v, str) for v in attributes.values()
        ):
            self.add("format.E034", f"{path}.attributes", "Must be an object of string to string.")
            attributes = {}
        price_delta = self.amount(raw.get("price_delta"), f"{path}.price_delta")
        cost = self.amount(raw.get("cost"), f"{path}.cost", negative=False)
        if code is None:
            return None
        return ValueData(
            code=code,
            name=self.names(raw.get("name"), f"{path}.name", required=True, max_length=200),
            price_delta=price_delta if price_delta is not None else Decimal(0),
            cost=cost if cost is not None else Decimal(0),
            production_code=self.text(
                raw.get("production_code"), f"{path}.production_code", max_length=64
            ),
            swatch=swatch,
            attributes=attributes,
            default=self.boolean(raw.get("default"), f"{path}.default", default=False),
            active=self.boolean(
                extensions.get("active"), f"{path}.extensions.active", default=True
            ),
            image=self.text(extensions.get("image"), f"{path}.extensions.image", max_length=100),
            extensions={k: v for k, v in extensions.items() if k not in ("active", "image")},
        )
