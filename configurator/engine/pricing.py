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

__all__ = ["MINOR_UNITS", "chargeable_characters", "price_of"]


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
    quantum = _quantum(spec.currency)
    lines = [PriceLine("base", dict(spec.name), spec.base_price.quantize(quantum))]
    numbers = _numbers(spec, selection)
    for group in spec.groups:
        chosen = selection.get(group.code)
        if group.number is not None:
            _add_number_line(lines, group, numbers, quantum)
        elif chosen is not None:  # a group not chosen or left empty costs nothing
            _add_group_lines(lines, group, chosen, quantum)
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
    lines: list[PriceLine], group: GroupSpec, chosen: Any, quantum: Decimal
) -> None:
    """Add to ``lines`` what ``chosen`` costs in ``group`` (nothing when it costs nothing)."""
    if group.kind == "choice":
        value = group.value(chosen)
        if value is not None and value.price_delta:
            amount = value.price_delta.quantize(quantum)
            lines.append(PriceLine("value", dict(value.name), amount, group.code, value.code))
    elif group.kind == "multi":
        lines.extend(
            PriceLine("value", dict(v.name), v.price_delta.quantize(quantum), group.code, v.code)
            for v in group.values
            if v.code in (chosen or ()) and v.price_delta
        )
    elif group.kind == "text" and present(group, chosen):
        characters = chargeable_characters(str(chosen))
        amount = group.price_delta + group.price_per_char * characters
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
    elif group.kind == "image" and present(group, chosen) and group.price_delta:
        amount = group.price_delta.quantize(quantum)
        lines.append(PriceLine("image", dict(group.name), amount, group.code))
