"""What the studio shows for a selection: steps, values with availability and reasons, price.

Pure: takes an :class:`~configurator.engine.Engine` and a selection, returns frozen
dataclasses; the API and the studio page render them. Reasons are computed for the values a
step shows (at most its display limit), so one evaluation stays a few milliseconds even on
option sets with hundreds of groups; any other value is explained on request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from configurator.engine import Engine, Explanation, Price, Violation

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


@dataclass(frozen=True)
class ValueState:
    code: str
    name: str
    price_delta: Decimal
    swatch: str
    image: str
    attributes: Mapping[str, str]
    available: bool
    chosen: bool
    shown: bool
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


@dataclass(frozen=True)
class Evaluation:
    selection: Mapping[str, Any]
    groups: tuple[GroupState, ...]
    price: Price
    complete: bool  # the selection is a full valid configuration
    violations: tuple[Violation, ...]


def _raw_groups(engine: Engine) -> dict[str, Mapping[str, Any]]:
    return {str(g.get("code")): g for g in engine.presentation.get("groups", ())}


def selection_evaluate(
    *,
    engine: Engine,
    selection: Mapping[str, Any],
    language: str = "vi",
    rankings: Mapping[str, Sequence[str]] | None = None,
    explain: Iterable[tuple[str, str]] = (),
) -> Evaluation:
    """Evaluate ``selection``: every group's values, what is available, why not, the price.

    ``rankings`` orders each group's values for its display limit (personalization or the
    merchant's curated order); ``explain`` asks for reasons of values beyond those shown.
    """
    rankings = rankings or {}
    valid = engine.valid_values(selection)
    raw_groups = _raw_groups(engine)
    wanted = set(explain)
    groups: list[GroupState] = []
    for spec in engine.spec.groups:
        raw = raw_groups.get(spec.code, {})
        chosen = selection.get(spec.code)
        states: list[ValueState] = []
        more = 0
        if spec.has_values:
            chosen_codes = (
                set(chosen or ()) if spec.kind == "multi" else ({chosen} if chosen else set())
            )
            available = [v.code for v in spec.values if v.code in valid[spec.code]]
            # Unavailable values are shown too (disabled, with their reason), after the
            # available ones: never offered as if they could be chosen, never hidden.
            display = engine.display(
                spec.code,
                [v.code for v in spec.values],
                ranking=list(
                    dict.fromkeys(
                        [c for c in rankings.get(spec.code, ()) if c in valid[spec.code]]
                        + available
                    )
                ),
                keep=chosen_codes,
            )
            shown_codes = set(display.shown)
            more = display.more
            raw_values = {str(v.get("code")): v for v in raw.get("values", ())}
            for value in spec.values:
                is_available = value.code in valid[spec.code]
                shown = value.code in shown_codes
                reason = None
                if not is_available and (shown or (spec.code, value.code) in wanted):
                    reason = _reason(engine.explain(selection, spec.code, value.code), language)
                raw_value = raw_values.get(value.code, {})
                extensions = raw_value.get("extensions") or {}
                states.append(
                    ValueState(
                        code=value.code,
                        name=localized(value.name, language),
                        price_delta=value.price_delta,
                        swatch=str(raw_value.get("swatch") or ""),
                        image=str(extensions.get("image") or ""),
                        attributes=dict(value.attributes),
                        available=is_available,
                        chosen=value.code in chosen_codes,
                        shown=shown,
                        reason=reason,
                    )
                )
        limits: dict[str, Any] = {}
        for key in ("min", "max", "max_length", "pattern", "max_bytes", "min_width", "min_height"):
            if raw.get(key) is not None:
                limits[key] = raw[key]
        if spec.formats:
            limits["formats"] = list(spec.formats)
        if spec.price_per_char:
            limits["price_per_char"] = spec.price_per_char
        if spec.price_delta:
            limits["price_delta"] = spec.price_delta
        groups.append(
            GroupState(
                code=spec.code,
                name=localized(spec.name, language),
                kind=spec.kind,
                step=spec.step,
                required=spec.required,
                help=localized(_names(raw.get("help")), language),
                chosen=chosen,
                values=tuple(states),
                more=more,
                can_be_empty=None in valid[spec.code],
                limits=limits,
            )
        )
    violations = engine.validate(selection)
    return Evaluation(
        selection=dict(selection),
        groups=tuple(groups),
        price=engine.price(selection),
        complete=not violations,
        violations=violations,
    )


def _names(raw: Any) -> dict[str, str]:
    if isinstance(raw, Mapping):
        return {str(k): str(v) for k, v in raw.items()}
    return {"": str(raw)} if raw else {}


def _reason(explanation: Explanation | None, language: str) -> Reason | None:
    if explanation is None:
        return None
    return Reason(
        conflict=explanation.conflict,
        messages=tuple(localized(message, language) for message in explanation.messages if message),
        repair=dict(explanation.repair.changes) if explanation.repair else None,
    )
