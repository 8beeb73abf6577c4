"""Prices: the base price, each chosen value's delta and text per character, line by line."""

from __future__ import annotations

import functools
import unicodedata
from decimal import Decimal
from typing import Any

from catalog.currencies import MINOR_UNITS, minor_units
from catalog.numbers import number_text

from .results import Price, PriceLine
from .selection import Selection, present
from .spec import GroupSpec, OptionSetSpec

__all__ = ["MINOR_UNITS", "chargeable_characters", "cost_of", "price_of"]


def chargeable_characters(text: str) -> int:
    """Characters charged for an engraving: letters and marks as the shopper sees them.

    Whitespace is free. Vietnamese letters count once whether the text arrives composed
    (NFC, "ệ") or decomposed (NFD, "e" + two combining marks).
    """
    normalized = unicodedata.normalize("NFC", text)
    return sum(
        1 for ch in normalized if not ch.isspace() and not unicodedata.category(ch).startswith("M")
    )


def price_of(spec: OptionSetSpec, selection: Selection) -> Price:
    """The selection's price, each line and the total rounded to the currency's minor unit."""
    return _lines_of(spec, selection, costs=False)


def cost_of(spec: OptionSetSpec, selection: Selection) -> Price:
    """What making the selection costs the merchant, line by line as :func:`price_of`.

    The base cost, each chosen value's cost, a text's cost plus cost per character (counted
    as for the price), an image's cost. Lines that cost nothing are left out.
    """
    return _lines_of(spec, selection, costs=True)


def _lines_of(spec: OptionSetSpec, selection: Selection, *, costs: bool) -> Price:
    quantum = _quantum(spec.currency)
    base = spec.base_cost if costs else spec.base_price
    lines = [PriceLine("base", dict(spec.name), base.quantize(quantum))]
    numbers = _numbers(spec, selection)
    for group in spec.groups:
        chosen = selection.get(group.code)
        if group.number is not None:
            if not costs:  # a measurement has no production cost of its own
                _add_number_line(lines, group, numbers, quantum)
        elif chosen is not None:  # a group not chosen or left empty costs nothing
            _add_group_lines(lines, group, chosen, quantum, costs=costs)
    total = sum((line.amount for line in lines), Decimal(0)).quantize(quantum)
    return Price(spec.currency, tuple(lines), total)


def _numbers(spec: OptionSetSpec, selection: Selection) -> dict[str, Decimal]:
    """The chosen numbers of the number groups, those on their grid only."""
    numbers: dict[str, Decimal] = {}
    for group in spec.groups:
        if group.number is not None and group.code in selection:
            code = group.number.code_of(selection[group.code])
            if code is not None:
                numbers[group.code] = Decimal(code)
    return numbers


def _add_number_line(
    lines: list[PriceLine], group: GroupSpec, numbers: dict[str, Decimal], quantum: Decimal
) -> None:
    """A number group's line: its formula over the chosen numbers (none until each is
    chosen), else its number times the price per unit."""
    number = group.number
    assert number is not None
    if number.formula is not None:
        amount = number.formula.amount(numbers)
    elif group.code in numbers:
        amount = numbers[group.code] * number.price_per_unit
    else:
        amount = None
    if amount:
        code = number_text(numbers[group.code]) if group.code in numbers else ""
        lines.append(
            PriceLine("number", dict(group.name), amount.quantize(quantum), group.code, code)
        )


@functools.lru_cache(maxsize=64)
def _quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


def _add_group_lines(
    lines: list[PriceLine], group: GroupSpec, chosen: Any, quantum: Decimal, *, costs: bool
) -> None:
    """Add to ``lines`` what ``chosen`` costs in ``group`` (nothing when it costs nothing):
    its price, or with ``costs`` what making it costs."""
    fixed = group.cost if costs else group.price_delta
    if group.kind == "choice":
        value = group.value(chosen)
        if value is not None and (amount := value.cost if costs else value.price_delta):
            lines.append(
                PriceLine(
                    "value", dict(value.name), amount.quantize(quantum), group.code, value.code
                )
            )
    elif group.kind == "multi":
        lines.extend(
            PriceLine("value", dict(v.name), amount.quantize(quantum), group.code, v.code)
            for v in group.values
            if v.code in (chosen or ()) and (amount := v.cost if costs else v.price_delta)
        )
    elif group.kind == "text" and present(group, chosen):
        characters = chargeable_characters(str(chosen))
        per_char = group.cost_per_char if costs else group.price_per_char
        amount = fixed + per_char * characters
        if amount:
            lines.append(
                PriceLine(
                    "text",
                    dict(group.name),
                    amount.quantize(quantum),
                    group.code,
                    quantity=characters,
                )
            )
    elif group.kind == "image" and present(group, chosen) and fixed:
        lines.append(PriceLine("image", dict(group.name), fixed.quantize(quantum), group.code))
