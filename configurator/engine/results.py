"""What the engine answers: frozen dataclasses, ready to be serialized by an API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class RuleRef:
    """A rule named in an answer: its id (or ``rules[i]``), kind and message per language."""

    id: str
    kind: str
    message: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Violation:
    """One reason a configuration is not valid, with a stable code (``engine.V0xx``)."""

    code: str
    message: str
    groups: tuple[str, ...] = ()
    values: tuple[str | None, ...] = ()
    rule: RuleRef | None = None


@dataclass(frozen=True)
class Repair:
    """The cheapest way to get a value: the earlier choices to change, and to what."""

    changes: Mapping[str, str | tuple[str, ...] | None]
    cost: int  # how many of the shopper's choices change


@dataclass(frozen=True)
class Explanation:
    """Why ``value`` of ``group`` cannot be chosen with the current choices."""

    group: str
    value: str | None
    conflict: tuple[str, ...]  # the smallest set of chosen groups that rules the value out
    rules: tuple[RuleRef, ...]  # the rules through which they rule it out
    repair: Repair | None  # None when no change of choices can give the value (a dead value)
    switched_off: bool = False  # the value itself is switched off at run time (out of stock)

    @property
    def messages(self) -> tuple[Mapping[str, str], ...]:
        return tuple(rule.message for rule in self.rules if rule.message)


@dataclass(frozen=True)
class PriceLine:
    kind: str  # "base", "value", "text", "image", "number"
    label: Mapping[str, str]
    amount: Decimal
    group: str = ""
    value: str = ""
    quantity: int = 1  # characters for a text line


@dataclass(frozen=True)
class Price:
    currency: str
    lines: tuple[PriceLine, ...]
    total: Decimal


@dataclass(frozen=True)
class Answers:
    """What the studio asks of every selection, from one pass over the diagram."""

    consistent: bool  # as Engine.is_consistent
    valid: Mapping[str, frozenset[str | None]]  # as Engine.valid_values
    violations: tuple[Violation, ...]  # as Engine.validate
    price: Price  # as Engine.price


@dataclass(frozen=True)
class Display:
    """The values a step shows first (at most the display limit), and how many more."""

    shown: tuple[str, ...]
    more: int


@dataclass(frozen=True)
class ImageInfo:
    """What the engine needs to know of an uploaded image."""

    bytes: int
    width: int
    height: int
    format: str  # Pillow's format name, lower case: "png", "jpeg", "webp"


@dataclass(frozen=True)
class Margin:
    """A configuration with what it sells for and what making it costs.

    ``selection`` is a complete selection (a text as that many letters, a picture as a
    placeholder), ``characters`` the letters counted per text group, ``unbounded`` the text
    groups whose every letter costs more to make than it sells for and which have no length
    limit: their loss has no floor, and they are counted here at no letter.
    """

    selection: Mapping[str, Any]
    characters: Mapping[str, int]
    price: Decimal
    cost: Decimal
    unbounded: tuple[str, ...] = ()

    @property
    def margin(self) -> Decimal:
        return self.price - self.cost

    @property
    def percent(self) -> Decimal | None:
        """The margin as a percent of the price, one decimal; None for a free configuration."""
        if not self.price:
            return None
        return (self.margin * 100 / self.price).quantize(Decimal("0.1"))
