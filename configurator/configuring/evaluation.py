"""What the studio shows for a selection: steps, values with availability and reasons, price.

Pure: takes an :class:`~configurator.engine.Engine` and a selection, returns frozen
dataclasses; the API and the studio page render them. Every unavailable value carries its
reason and repair, those behind "Show all" too: a shopper who opens the list meets them with
nothing more to ask. Explanations are kept per engine (``Engine.explain``), keyed by the
choices as the diagram sees them, so typing a text or choosing again does not explain the
same values twice.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from configurator.engine import Answers, Engine, Explanation, ImageInfo, Price, Unit, Violation
from configurator.engine.spec import GroupSpec
from configurator.preview.placement import Placement
from configurator.preview.printing import PrintArea, PrintQuality, print_quality

PRESENT = "present"


def localized(names: Mapping[str, str] | None, language: str) -> str:
    """The text in ``language``, else Vietnamese, else English, else any."""
    if not names:
        return ""
    for key in (language, "vi", "en", ""):
        if names.get(key):
            return names[key]
    return next(iter(names.values()), "")


@dataclass(frozen=True)
class Reason:
    conflict: tuple[str, ...]
    messages: tuple[str, ...]
    repair: Mapping[str, Any] | None
    out_of_stock: bool = False  # the value itself is out of stock (switched off at run time)


# A value out of stock (switched off at run time): no conflict, no repair; the faces say
# "Hết hàng" with the date it is expected back.
OUT_OF_STOCK = Reason(conflict=(), messages=(), repair=None, out_of_stock=True)
_NOTHING_OFF: frozenset[str] = frozenset()


@dataclass(frozen=True, eq=False)
class ValueInfo:
    """What a value shows whatever the selection: made once per engine and language."""

    code: str
    name: str
    price_delta: Decimal
    swatch: str
    image: str
    attributes: Mapping[str, str]


@dataclass(frozen=True)
class ValueState:
    info: ValueInfo
    available: bool
    chosen: bool
    shown: bool
    reason: Reason | None = None

    @property
    def code(self) -> str:
        return self.info.code

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def price_delta(self) -> Decimal:
        return self.info.price_delta

    @property
    def swatch(self) -> str:
        return self.info.swatch

    @property
    def image(self) -> str:
        return self.info.image

    @property
    def attributes(self) -> Mapping[str, str]:
        return self.info.attributes


@dataclass(frozen=True)
class NumberRange:
    """A run of a number group's values, all available or all not (with the first's reason)."""

    first: str
    last: str
    available: bool
    reason: Reason | None = None


@dataclass(frozen=True)
class GroupState:
    code: str
    name: str
    kind: str
    step: int | None
    required: bool
    help: str
    chosen: Any
    values: tuple[ValueState, ...]
    more: int
    can_be_empty: bool
    limits: Mapping[str, Any] = field(default_factory=dict)
    # For an image group with a print area: how sharp the chosen picture prints.
    print_quality: PrintQuality | None = None
    # For a number group: its values as runs, available or not.
    ranges: tuple[NumberRange, ...] = ()


@dataclass(frozen=True)
class Evaluation:
    selection: Mapping[str, Any]
    groups: tuple[GroupState, ...]
    price: Price
    complete: bool  # the selection is a full valid configuration
    violations: tuple[Violation, ...]
    # Where the shopper placed their pictures and texts (group -> placement), when moved.
    placements: Mapping[str, Placement] = field(default_factory=dict)


@dataclass(frozen=True)
class _GroupInfo:
    name: str
    help: str
    limits: Mapping[str, Any]
    values: tuple[ValueInfo, ...]
    print_area: PrintArea | None = None


def _print_areas(engine: Engine) -> dict[str, PrintArea]:
    """Each image group's print area, from its artwork layer (when the merchant set one)."""
    extensions = engine.presentation.get("extensions") or {}
    areas: dict[str, PrintArea] = {}
    for layer in extensions.get("preview_layers") or ():
        width, height = layer.get("print_width_mm"), layer.get("print_height_mm")
        if layer.get("kind") == "artwork" and layer.get("group") and width and height:
            dpi = int(layer.get("print_dpi") or 300)
            areas.setdefault(str(layer["group"]), PrintArea(float(width), float(height), dpi))
    return areas


_infos: weakref.WeakKeyDictionary[Engine, dict[str, dict[str, _GroupInfo]]] = (
    weakref.WeakKeyDictionary()
)
_infos_lock = threading.Lock()


def _group_infos(engine: Engine, language: str) -> dict[str, _GroupInfo]:
    """Names, limits and value texts of every group: they change with the language only."""
    with _infos_lock:
        cached = _infos.get(engine, {}).get(language)
    if cached is not None:
        return cached
    raw_groups = {str(g.get("code")): g for g in engine.presentation.get("groups", ())}
    areas = _print_areas(engine)
    infos: dict[str, _GroupInfo] = {}
    for spec in engine.spec.groups:
        raw = raw_groups.get(spec.code, {})
        raw_values = {str(v.get("code")): v for v in raw.get("values", ())}
        values = []
        for value in spec.values:
            raw_value = raw_values.get(value.code, {})
            extensions = raw_value.get("extensions") or {}
            values.append(
                ValueInfo(
                    code=value.code,
                    name=localized(value.name, language),
                    price_delta=value.price_delta,
                    swatch=str(raw_value.get("swatch") or ""),
                    image=str(extensions.get("image") or ""),
                    attributes=dict(value.attributes),
                )
            )
        limits: dict[str, Any] = {}
        for key in ("min", "max", "max_length", "pattern", "max_bytes", "min_width", "min_height"):
            if raw.get(key) is not None:
                limits[key] = raw[key]
        if spec.number is not None:
            for key in ("minimum", "maximum", "increment", "unit"):
                if raw.get(key):
                    limits[key] = str(raw[key])
            if spec.number.price_per_unit:
                limits["price_per_unit"] = spec.number.price_per_unit
        if spec.formats:
            limits["formats"] = list(spec.formats)
        if spec.price_per_char:
            limits["price_per_char"] = spec.price_per_char
        if spec.price_delta:
            limits["price_delta"] = spec.price_delta
        infos[spec.code] = _GroupInfo(
            name=localized(spec.name, language),
            help=localized(_names(raw.get("help")), language),
            limits=limits,
            values=tuple(values),
            print_area=areas.get(spec.code) if spec.kind == "image" else None,
        )
    with _infos_lock:
        _infos.setdefault(engine, {})[language] = infos
    return infos


def selection_evaluate(
    *,
    engine: Engine,
    selection: Mapping[str, Any],
    language: str = "vi",
    rankings: Mapping[str, Sequence[str]] | None = None,
    explain: Iterable[tuple[str, str]] = (),
    units: Sequence[Unit] | None = None,
    answers: Answers | None = None,
    placements: Mapping[str, Placement] | None = None,
) -> Evaluation:
    """Evaluate ``selection``: every group's values, what is available, why not, the price.

    ``rankings`` orders each group's values for its display limit (personalization or the
    merchant's curated order). Every unavailable value has its reason; ``explain`` is
    accepted for the API's callers, who may still name values (they are explained anyway).
    ``units`` and ``answers``: the engine's, when the caller has asked for them already.
    ``placements``: where the shopper placed pictures and texts (their print quality follows
    the scale).
    """
    rankings = rankings or {}
    placements = placements or {}
    # The selection is read once; every question below reuses its units.
    if units is None:
        units = engine.units(selection)
    if answers is None:
        answers = engine.answers(selection, units=units)
    valid = answers.valid
    infos = _group_infos(engine, language)
    groups: list[GroupState] = []
    for spec in engine.spec.groups:
        info = infos[spec.code]
        chosen = selection.get(spec.code)
        states: list[ValueState] = []
        more = 0
        ranges: tuple[NumberRange, ...] = ()
        if spec.number is not None:
            ranges = _number_ranges(engine, spec, selection, valid[spec.code], units, language)
        elif spec.has_values:
            chosen_codes = (
                set(chosen or ()) if spec.kind == "multi" else ({chosen} if chosen else set())
            )
            valid_here = valid[spec.code]
            codes = [v.code for v in spec.values]
            limit = spec.max_visible_values or engine.spec.max_visible_values
            if limit is None or limit >= len(codes):
                shown_codes: Collection[str] = codes  # all of them: no order needed
            else:
                available = [code for code in codes if code in valid_here]
                # Unavailable values are shown too (disabled, with their reason), after the
                # available ones: never offered as if they could be chosen, never hidden.
                display = engine.display(
                    spec.code,
                    codes,
                    ranking=list(
                        dict.fromkeys(
                            [c for c in rankings.get(spec.code, ()) if c in valid_here] + available
                        )
                    ),
                    keep=chosen_codes,
                )
                shown_codes = set(display.shown)
                more = display.more
            gone = engine.off_by_group.get(spec.code, _NOTHING_OFF)
            for value in info.values:
                is_available = value.code in valid_here
                shown = value.code in shown_codes
                reason = None
                if value.code in gone:
                    reason = OUT_OF_STOCK  # what Engine.explain says of it, known already
                elif not is_available:
                    explanation = engine.explain(selection, spec.code, value.code, units=units)
                    reason = _reason(explanation, language)
                states.append(
                    ValueState(
                        info=value,
                        available=is_available,
                        chosen=value.code in chosen_codes,
                        shown=shown,
                        reason=reason,
                    )
                )
        groups.append(
            GroupState(
                code=spec.code,
                name=info.name,
                kind="number" if spec.number is not None else spec.kind,
                step=spec.step,
                required=spec.required,
                help=info.help,
                chosen=chosen,
                values=tuple(states),
                more=more,
                can_be_empty=None in valid[spec.code],
                limits=info.limits,
                print_quality=(
                    print_quality(
                        (chosen.width, chosen.height),
                        info.print_area,
                        scale=placements[spec.code].scale if spec.code in placements else 1.0,
                    )
                    if info.print_area is not None and isinstance(chosen, ImageInfo)
                    else None
                ),
                ranges=ranges,
            )
        )
    return Evaluation(
        selection=dict(selection),
        groups=tuple(groups),
        price=answers.price,
        complete=not answers.violations,
        violations=answers.violations,
        placements=dict(placements),
    )


def _number_ranges(
    engine: Engine,
    spec: GroupSpec,
    selection: Mapping[str, Any],
    valid: Collection[str | None],
    units: Sequence[Unit],
    language: str,
) -> tuple[NumberRange, ...]:
    """A number group's values as runs of available and unavailable ones, in order; each
    unavailable run carries the reason of its first value (a rule over a range makes runs)."""
    runs: list[list[Any]] = []  # [first, last, available]
    for value in spec.values:
        available = value.code in valid
        if runs and runs[-1][2] == available:
            runs[-1][1] = value.code
        else:
            runs.append([value.code, value.code, available])
    return tuple(
        NumberRange(
            first,
            last,
            available,
            None
            if available
            else _reason(engine.explain(selection, spec.code, first, units=units), language),
        )
        for first, last, available in runs
    )


def _names(raw: Any) -> dict[str, str]:
    if isinstance(raw, Mapping):
        return {str(k): str(v) for k, v in raw.items()}
    return {"": str(raw)} if raw else {}


# Reasons as shown, per explanation (the engine keeps explanations) and language.
_reasons: dict[tuple[int, str], tuple[Explanation, Reason]] = {}
REASONS_KEPT = 4096


def _reason(explanation: Explanation | None, language: str) -> Reason | None:
    if explanation is None:
        return None
    key = (id(explanation), language)
    found = _reasons.get(key)
    if found is not None and found[0] is explanation:  # the entry holds it: its id is its own
        return found[1]
    if len(_reasons) >= REASONS_KEPT:
        _reasons.clear()
    reason = _reasons[key] = (explanation, _make_reason(explanation, language))
    return reason[1]


def _make_reason(explanation: Explanation, language: str) -> Reason:
    return Reason(
        conflict=explanation.conflict,
        messages=tuple(localized(message, language) for message in explanation.messages if message),
        repair=dict(explanation.repair.changes) if explanation.repair else None,
        out_of_stock=explanation.switched_off,
    )
