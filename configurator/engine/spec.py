"""The engine's view of an option set: frozen dataclasses read from an option-set/1 document.

``option_set_spec`` checks what the engine needs to compile (known groups and values, table
arity, kinds a rule may name) and reports every problem at once, with a stable code and the
JSON path, in an :class:`EngineError`. The catalog validates the full format for merchants;
this module guards the engine against anything that would make its answers wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any, Literal, cast

from catalog.numbers import (
    Formula,
    Grid,
    NumberError,
    condition_values,
    grid_of,
    number_text,
    parse_formula,
    parse_number,
)
from catalog.patterns import PatternError, compile_pattern

ANY = "*"
PRESENT = "present"
Kind = Literal["choice", "multi", "text", "image"]
RuleKind = Literal["allowed", "forbidden", "requires", "excludes"]


@dataclass(frozen=True)
class Issue:
    """One reason an option set cannot be compiled."""

    code: str
    path: str
    message: str


class EngineError(ValueError):
    """The option set cannot be compiled; ``issues`` lists every reason."""

    def __init__(self, issues: list[Issue] | tuple[Issue, ...]) -> None:
        self.issues = tuple(issues)
        super().__init__("; ".join(f"{i.path}: {i.message} [{i.code}]" for i in self.issues))


@dataclass(frozen=True)
class ValueSpec:
    code: str
    name: Mapping[str, str]
    price_delta: Decimal = Decimal(0)
    production_code: str = ""
    cost: Decimal = Decimal(0)  # what making it costs the merchant (never shown to shoppers)
    attributes: Mapping[str, str] = field(default_factory=dict)
    default: bool = False


@dataclass(frozen=True)
class NumberSpec:
    """What a number group adds to the choice group it compiles as: its grid and prices."""

    grid: Grid
    unit: str = ""
    price_per_unit: Decimal = Decimal(0)
    formula: Formula | None = None

    @cached_property
    def codes(self) -> frozenset[str]:
        return frozenset(number_text(v) for v in self.grid.values())

    def code_of(self, chosen: Any) -> str | None:
        """The domain code of a shopper's number (``"120"``, ``120``, ``"120.0"``), None when
        it is not a number or not on the grid."""
        if isinstance(chosen, str) and chosen in self.codes:
            return chosen  # the canonical spelling: what the studio and the API send back
        try:
            value = parse_number(chosen)
        except NumberError:
            return None
        return self.grid.code(value) if self.grid.contains(value) else None

    def shown(self, code: str) -> str:
        """``"120 cm"``: a value with its unit."""
        return f"{code} {self.unit}" if self.unit else code


@dataclass(frozen=True)
class GroupSpec:
    code: str
    name: Mapping[str, str]
    kind: Kind
    required: bool = True
    step: int | None = None
    values: tuple[ValueSpec, ...] = ()
    min: int = 0
    max: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    price_delta: Decimal = Decimal(0)
    price_per_char: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)  # text and image: making one, whatever its size
    cost_per_char: Decimal = Decimal(0)  # text: each chargeable character
    max_bytes: int | None = None
    min_width: int | None = None
    min_height: int | None = None
    formats: tuple[str, ...] = ()
    max_visible_values: int | None = None
    inactive: frozenset[str] = frozenset()  # values the merchant switched off
    # A number group compiles as a choice group over its grid's values (kind "choice").
    number: NumberSpec | None = None

    @property
    def has_values(self) -> bool:
        return self.kind in ("choice", "multi")

    @cached_property
    def _by_code(self) -> dict[str, ValueSpec]:
        return {value.code: value for value in self.values}

    def value(self, code: str) -> ValueSpec | None:
        return self._by_code.get(code)


@dataclass(frozen=True)
class RuleSpec:
    index: int
    kind: RuleKind
    id: str
    message: Mapping[str, str]
    groups: tuple[str, ...] = ()
    rows: tuple[tuple[str | None, ...], ...] = ()
    if_: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    then: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.id or f"rules[{self.index}]"


@dataclass(frozen=True)
class OptionSetSpec:
    sku: str
    name: Mapping[str, str]
    base_price: Decimal
    currency: str
    groups: tuple[GroupSpec, ...]
    rules: tuple[RuleSpec, ...]
    max_visible_values: int | None = None
    base_cost: Decimal = Decimal(0)
    min_margin: Decimal | None = None  # percent of the price the merchant wants to keep

    @cached_property
    def _group_by_code(self) -> dict[str, GroupSpec]:
        return {group.code: group for group in self.groups}

    def group(self, code: str) -> GroupSpec:
        return self._group_by_code[code]


def _names(raw: Any) -> dict[str, str]:
    if isinstance(raw, str):  # the common case first: ABC checks cost most of a small compile
        return {"": raw}
    if isinstance(raw, Mapping):
        return {str(k): str(v) for k, v in raw.items()}
    return {"": str(raw)} if raw is not None else {}


_ZERO = Decimal(0)


def _decimal(raw: Any, path: str, issues: list[Issue]) -> Decimal:
    if raw is None:
        return _ZERO
    try:
        return Decimal(str(raw if raw is not None else "0"))
    except InvalidOperation:
        issues.append(Issue("engine.E010", path, f"“{raw}” is not a decimal amount."))
        return Decimal(0)


def _value(raw: Mapping[str, Any], path: str, issues: list[Issue]) -> ValueSpec | None:
    extensions = raw.get("extensions") or {}
    if extensions.get("active") is False:
        return None  # inactive values are never offered
    return ValueSpec(
        code=str(raw.get("code")),
        name=_names(raw.get("name", raw.get("code"))),
        price_delta=_decimal(raw.get("price_delta"), f"{path}.price_delta", issues),
        production_code=str(raw.get("production_code") or ""),
        cost=_decimal(raw.get("cost"), f"{path}.cost", issues),
        attributes={str(k): str(v) for k, v in (raw.get("attributes") or {}).items()},
        default=bool(raw.get("default", False)),
    )


def _number(raw: Mapping[str, Any], path: str, issues: list[Issue]) -> NumberSpec | None:
    try:
        grid = grid_of(
            parse_number(raw.get("minimum")),
            parse_number(raw.get("maximum")),
            parse_number(raw.get("increment")),
        )
        formula = parse_formula(raw["price_formula"]) if raw.get("price_formula") else None
    except NumberError as exc:
        issues.append(Issue("engine.E012", path, f"Invalid number group: {exc}."))
        return None
    return NumberSpec(
        grid=grid,
        unit=str(raw.get("unit") or ""),
        price_per_unit=_decimal(raw.get("price_per_unit"), f"{path}.price_per_unit", issues),
        formula=formula,
    )


def _number_values(raw: Mapping[str, Any], number: NumberSpec) -> list[dict[str, Any]]:
    """A number group's grid as the values of a choice group (the default one marked)."""
    default = raw.get("default")
    default_code = number.code_of(default) if default is not None else None
    return [
        {
            "code": code,
            "name": {"": number.shown(code)},
            **({"default": True} if code == default_code else {}),
        }
        for code in (number_text(v) for v in number.grid.values())
    ]


def _group(raw: Mapping[str, Any], path: str, issues: list[Issue]) -> GroupSpec:
    kind = raw.get("kind")
    code = str(raw.get("code"))
    number = None
    if kind == "number":
        number = _number(raw, path, issues)
        raw = {**raw, "values": _number_values(raw, number) if number else []}
        kind = "choice"
    if kind not in ("choice", "multi", "text", "image"):
        issues.append(Issue("engine.E002", f"{path}.kind", f"Unknown group kind “{kind}”."))
        kind = "choice"
    values: list[ValueSpec] = []
    seen: set[str] = set()
    inactive: set[str] = set()
    for i, raw_value in enumerate(raw.get("values") or []):
        value = _value(raw_value, f"{path}.values[{i}]", issues)
        if value is None:
            inactive.add(str(raw_value.get("code")))
            continue
        if value.code in seen:
            issues.append(
                Issue("engine.E003", f"{path}.values[{i}].code", f"Duplicate value “{value.code}”.")
            )
        seen.add(value.code)
        values.append(value)
    pattern = raw.get("pattern")
    if pattern is not None:
        try:
            compile_pattern(pattern)  # RE2: linear in the shopper's text, whatever the pattern
        except PatternError as exc:
            issues.append(Issue("engine.E011", f"{path}.pattern", f"Invalid pattern: {exc}."))
    return GroupSpec(
        code=code,
        name=_names(raw.get("name", code)),
        kind=cast(Kind, kind),
        required=bool(raw.get("required", True)),
        step=raw.get("step"),
        values=tuple(values),
        min=int(raw.get("min") or 0),
        max=raw.get("max"),
        max_length=raw.get("max_length"),
        pattern=pattern,
        price_delta=_decimal(raw.get("price_delta"), f"{path}.price_delta", issues),
        price_per_char=_decimal(raw.get("price_per_char"), f"{path}.price_per_char", issues),
        cost=_decimal(raw.get("cost"), f"{path}.cost", issues),
        cost_per_char=_decimal(raw.get("cost_per_char"), f"{path}.cost_per_char", issues),
        max_bytes=raw.get("max_bytes"),
        min_width=raw.get("min_width"),
        min_height=raw.get("min_height"),
        formats=tuple(str(f).lower() for f in raw.get("formats") or ()),
        max_visible_values=raw.get("max_visible_values"),
        inactive=frozenset(inactive),
        number=number,
    )


def _check_table(
    rule: Mapping[str, Any], path: str, groups: Mapping[str, GroupSpec], issues: list[Issue]
) -> tuple[tuple[str, ...], tuple[tuple[str | None, ...], ...]]:
    codes = tuple(str(g) for g in rule.get("groups") or ())
    if not codes:
        issues.append(Issue("engine.E020", f"{path}.groups", "A table rule names no group."))
    for j, code in enumerate(codes):
        group = groups.get(code)
        if group is None:
            issues.append(Issue("engine.E021", f"{path}.groups[{j}]", f"Unknown group “{code}”."))
        elif group.kind != "choice":
            issues.append(
                Issue(
                    "engine.E022",
                    f"{path}.groups[{j}]",
                    f"Table rules take choice groups; “{code}” is a {group.kind} group.",
                )
            )
    raw_rows = rule.get("rows") or ()
    # Fast path, for tables of tens of thousands of rows: check each column's distinct cells
    # as a set, and look at single rows only when something is wrong.
    width = len(codes)
    if all(isinstance(row, list) and len(row) == width for row in raw_rows):
        columns = list(zip(*raw_rows, strict=True)) if raw_rows else [()] * width
        clean = True
        inactive_columns: list[tuple[int, frozenset[str]]] = []
        for c, code in enumerate(codes):
            group = groups.get(code)
            if group is None or group.kind != "choice":
                continue
            cells = set(columns[c])
            allowed: set[str | None] = {v.code for v in group.values}
            allowed.add(ANY)
            if not group.required:
                allowed.add(None)
            if not cells <= allowed | group.inactive:
                clean = False
            if cells & group.inactive:
                inactive_columns.append((c, group.inactive))
        if clean:
            fast: list[tuple[str | None, ...]] = [tuple(row) for row in raw_rows]
            if inactive_columns:
                # A row through a switched-off value can never be taken.
                fast = [
                    row
                    for row in fast
                    if not any(row[c] in inactive for c, inactive in inactive_columns)
                ]
            return codes, tuple(fast)
    rows: list[tuple[str | None, ...]] = []
    for r, row in enumerate(raw_rows):
        if _names_inactive(row, codes, groups):
            continue  # a row through a switched-off value can never be taken
        if not isinstance(row, list | tuple) or len(row) != len(codes):
            issues.append(
                Issue(
                    "engine.E023",
                    f"{path}.rows[{r}]",
                    f"Row has {len(row) if isinstance(row, list | tuple) else 0} cells, "
                    f"expected {len(codes)}.",
                )
            )
            continue
        for c, (code, cell) in enumerate(zip(codes, row, strict=True)):
            group = groups.get(code)
            if group is None or group.kind != "choice" or cell == ANY:
                continue
            if cell is None:
                if group.required:
                    issues.append(
                        Issue(
                            "engine.E024",
                            f"{path}.rows[{r}][{c}]",
                            f"“{code}” is required: a row cannot leave it empty.",
                        )
                    )
            elif group.value(str(cell)) is None:
                issues.append(
                    Issue(
                        "engine.E025",
                        f"{path}.rows[{r}][{c}]",
                        f"Unknown value “{cell}” of group “{code}”.",
                    )
                )
        rows.append(tuple(None if cell is None else str(cell) for cell in row))
    return codes, tuple(rows)


def _names_inactive(row: Any, codes: tuple[str, ...], groups: Mapping[str, GroupSpec]) -> bool:
    if not isinstance(row, list | tuple) or len(row) != len(codes):
        return False
    for code, cell in zip(codes, row, strict=True):
        group = groups.get(code)
        if group is not None and cell is not None and str(cell) in group.inactive:
            return True
    return False


def _check_condition(
    raw: Any, path: str, groups: Mapping[str, GroupSpec], issues: list[Issue]
) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, Mapping) or not raw:
        issues.append(Issue("engine.E030", path, "A condition names at least one group."))
        return {}
    condition: dict[str, tuple[str, ...]] = {}
    for code, listed in raw.items():
        group = groups.get(code)
        listed = tuple(str(v) for v in (listed or ()))
        if group is None:
            issues.append(Issue("engine.E021", f"{path}.{code}", f"Unknown group “{code}”."))
            continue
        if not listed:
            issues.append(Issue("engine.E031", f"{path}.{code}", "The value list is empty."))
        if group.number is not None:
            listed = _number_condition(group.number, listed, f"{path}.{code}", issues)
        # A switched-off value can never be chosen: it drops out of the condition.
        if group.inactive:
            listed = tuple(v for v in listed if v not in group.inactive)
        known = group._by_code if group.has_values else {PRESENT: None}
        for v in listed:
            if v in known:
                continue
            if group.has_values:
                issues.append(
                    Issue("engine.E025", f"{path}.{code}", f"Unknown value “{v}” of “{code}”.")
                )
            else:
                issues.append(
                    Issue(
                        "engine.E032",
                        f"{path}.{code}",
                        f'A {group.kind} group is named with ["present"], not “{v}”.',
                    )
                )
        condition[code] = listed
    return condition


def _number_condition(
    number: NumberSpec, listed: tuple[str, ...], path: str, issues: list[Issue]
) -> tuple[str, ...]:
    """A number group's condition items ("120", ">200", "100..200") as the codes they name."""
    codes: list[str] = []
    for item in listed:
        try:
            codes.extend(number.grid.code(v) for v in condition_values(number.grid, item))
        except NumberError as exc:
            issues.append(Issue("engine.E033", path, f"“{item}”: {exc}."))
    return tuple(dict.fromkeys(codes))


def option_set_spec(document: Mapping[str, Any]) -> OptionSetSpec:
    """The engine's spec of ``document``; raises :class:`EngineError` listing every problem."""
    issues: list[Issue] = []
    product = document.get("product") or {}
    groups: list[GroupSpec] = []
    by_code: dict[str, GroupSpec] = {}
    for i, raw in enumerate(document.get("groups") or ()):
        group = _group(raw, f"$.groups[{i}]", issues)
        if group.code in by_code:
            issues.append(
                Issue("engine.E001", f"$.groups[{i}].code", f"Duplicate group “{group.code}”.")
            )
        by_code[group.code] = group
        groups.append(group)
    rules: list[RuleSpec] = []
    for i, raw in enumerate(document.get("rules") or ()):
        path = f"$.rules[{i}]"
        kind = raw.get("kind")
        rule_id = str(raw.get("id") or "")
        message = _names(raw.get("message"))
        if kind in ("allowed", "forbidden"):
            codes, rows = _check_table(raw, path, by_code, issues)
            rules.append(RuleSpec(i, kind, rule_id, message, groups=codes, rows=rows))
        elif kind in ("requires", "excludes"):
            if_ = _check_condition(raw.get("if"), f"{path}.if", by_code, issues)
            then = _check_condition(raw.get("then"), f"{path}.then", by_code, issues)
            rules.append(RuleSpec(i, kind, rule_id, message, if_=if_, then=then))
        else:
            issues.append(Issue("engine.E026", f"{path}.kind", f"Unknown rule kind “{kind}”."))
    if issues:
        raise EngineError(issues)
    return OptionSetSpec(
        sku=str(product.get("sku", "")),
        name=_names(product.get("name", "")),
        base_price=_decimal(product.get("base_price"), "$.product.base_price", issues),
        currency=str(product.get("currency", "VND")),
        groups=tuple(groups),
        rules=tuple(rules),
        max_visible_values=product.get("max_visible_values"),
        base_cost=_decimal(product.get("base_cost"), "$.product.base_cost", issues),
        min_margin=(
            None
            if product.get("min_margin") is None
            else _decimal(product.get("min_margin"), "$.product.min_margin", issues)
        ),
    )
