"""Number groups' arithmetic: their grid of values, conditions over ranges, price formulas.

Pure Python (no Django, no ORM): the format reader, the Check and the engine share it. A
number group takes the values ``minimum``, ``minimum + increment``, … up to ``maximum``,
exactly (``Decimal``), so the engine can treat them as a finite domain. Every function
here raises :class:`NumberError` (with a short English reason) on bad input; callers attach
their own code and path.

Price formulas are a tiny expression language, parsed by hand rather than by ``eval`` or a
general expression library: the grammar is five rules, every operation is ``Decimal``
(``simpleeval`` and ``asteval`` evaluate Python literals as floats and accept far more than
a price needs), and division is by a positive literal only, so a formula that parses can
never fail or divide by zero at checkout::

    formula := term (("+" | "-") term)*
    term    := factor ("*" factor | "/" literal)*
    factor  := literal | group | "(" formula ")" | "-" factor
    group   := a number group's code (letters, digits, "_"), or any code in braces: {body-width}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext

MAX_VALUES = 1000  # values of one number group: the engine's domain stays small
MAX_DECIMALS = 3  # DecimalField(12, 3)
MAX_NUMBER = Decimal(10) ** 9
MAX_FORMULA_LENGTH = 500
NUMBER_RE = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_COMPARISON_RE = re.compile(r"^(<=|>=|<|>)\s*(\S+)$")
_RANGE_RE = re.compile(r"^(\S+?)\.\.(\S+)$")


class NumberError(ValueError):
    """A number, a grid, a condition or a formula is not valid; ``str()`` says why."""


class TooManyValues(NumberError):
    """A grid would have more than :data:`MAX_VALUES` values."""


def parse_number(raw: object) -> Decimal:
    """``raw`` (a decimal string, an integer or a finite Decimal; never a float, whose
    binary value is not the number written, nor a bool) as a Decimal."""
    if isinstance(raw, Decimal) and raw.is_finite():
        raw = format(raw, "f")
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise NumberError(f"{raw!r} is not a number written as a decimal string")
    text = str(raw).strip()
    if len(text) > 30 or not NUMBER_RE.match(text):
        raise NumberError(f"“{text}” is not a decimal number")
    value = Decimal(text)
    if abs(value) >= MAX_NUMBER:
        raise NumberError(f"{text} is too large (at most 9 digits before the point)")
    if -value.as_tuple().exponent > MAX_DECIMALS:  # type: ignore[operator]
        raise NumberError(f"{text} has more than {MAX_DECIMALS} decimals")
    return value


def number_text(value: Decimal) -> str:
    """The canonical text of a number: no exponent, no trailing zeros ("120", "0.5")."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class Grid:
    """The values a number group takes: ``minimum`` to ``maximum`` by ``increment``."""

    minimum: Decimal
    maximum: Decimal
    increment: Decimal

    @property
    def count(self) -> int:
        return int((self.maximum - self.minimum) / self.increment) + 1

    def values(self) -> tuple[Decimal, ...]:
        return tuple(self.minimum + self.increment * i for i in range(self.count))

    def code(self, value: Decimal) -> str:
        """The value's code in the engine's domain (canonical text)."""
        return number_text(value)

    def contains(self, value: Decimal) -> bool:
        return self.in_range(value) and self.on_step(value)

    def in_range(self, value: Decimal) -> bool:
        return self.minimum <= value <= self.maximum

    def on_step(self, value: Decimal) -> bool:
        return (value - self.minimum) % self.increment == 0


def grid_of(minimum: Decimal, maximum: Decimal, increment: Decimal) -> Grid:
    """The grid, checked: a positive increment, ``maximum`` reached from ``minimum`` by whole
    increments, at most :data:`MAX_VALUES` values."""
    if increment <= 0:
        raise NumberError("the increment must be more than 0")
    if minimum > maximum:
        raise NumberError(
            f"minimum {number_text(minimum)} is more than maximum {number_text(maximum)}"
        )
    grid = Grid(minimum, maximum, increment)
    if not grid.on_step(maximum):
        raise NumberError(
            f"maximum {number_text(maximum)} is not reached from {number_text(minimum)} "
            f"in steps of {number_text(increment)}"
        )
    if (maximum - minimum) / increment + 1 > MAX_VALUES:
        raise TooManyValues(
            f"{number_text(minimum)} to {number_text(maximum)} by {number_text(increment)} "
            f"makes more than {MAX_VALUES} values; use a larger increment"
        )
    return grid


def condition_values(grid: Grid, item: str) -> tuple[Decimal, ...]:
    """The grid values a condition's item names: "120", ">200", ">=200", "<50", "<=50" or
    "100..200" (both ends included). Raises :class:`NumberError` when the item is not one of
    these, an exact number is off the grid, or it names no value of the grid."""
    text = item.strip()
    if match := _COMPARISON_RE.match(text):
        operator, bound = match.group(1), parse_number(match.group(2))
        test = {
            "<": lambda v: v < bound,
            "<=": lambda v: v <= bound,
            ">": lambda v: v > bound,
            ">=": lambda v: v >= bound,
        }[operator]
        found = tuple(v for v in grid.values() if test(v))
    elif match := _RANGE_RE.match(text):
        low, high = parse_number(match.group(1)), parse_number(match.group(2))
        if low > high:
            raise NumberError(f"the range “{text}” is empty ({match.group(1)} > {match.group(2)})")
        found = tuple(v for v in grid.values() if low <= v <= high)
    else:
        value = parse_number(text)
        if not grid.contains(value):
            raise NumberError(f"{text} is not one of the group's values")
        return (value,)
    if not found:
        raise NumberError(f"“{text}” names none of the group's values")
    return found


# --- price formulas -------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"\s*(?:(?P<number>[0-9]+(?:\.[0-9]+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|\{(?P<braced>[A-Za-z0-9_.\-]+)\}|(?P<op>[-+*/()]))"
)

Node = tuple  # ("num", Decimal) | ("var", code) | ("neg", node) | (op, left, right)


@dataclass(frozen=True)
class Formula:
    """A parsed price formula: evaluate with :meth:`amount`; ``groups`` are the codes it reads."""

    text: str
    tree: Node
    groups: tuple[str, ...]

    def amount(self, numbers: Mapping[str, Decimal]) -> Decimal | None:
        """The formula's value for the chosen ``numbers``; None when one it reads is missing."""
        if any(code not in numbers for code in self.groups):
            return None
        with localcontext() as context:
            context.prec = 40
            return _evaluate(self.tree, numbers)


def parse_formula(text: str) -> Formula:
    """``text`` parsed; raises :class:`NumberError` naming the character where it fails."""
    if not isinstance(text, str) or not text.strip():
        raise NumberError("the formula is empty")
    if len(text) > MAX_FORMULA_LENGTH:
        raise NumberError(f"the formula is longer than {MAX_FORMULA_LENGTH} characters")
    tokens = _tokens(text)
    parser = _Parser(tokens, text)
    tree = parser.formula()
    if parser.position < len(tokens):
        raise NumberError(
            f"unexpected “{tokens[parser.position][1]}” at character "
            f"{tokens[parser.position][2] + 1}"
        )
    groups = tuple(dict.fromkeys(_variables(tree)))
    return Formula(text=text, tree=tree, groups=groups)


def _tokens(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN_RE.match(text, position)
        if match is None:
            start = position + len(text[position:]) - len(text[position:].lstrip())
            raise NumberError(f"unexpected “{text[start]}” at character {start + 1}")
        kind = match.lastgroup or ""
        value = match.group(kind)
        start = match.start(kind) - (1 if kind == "braced" else 0)
        tokens.append(("name" if kind == "braced" else kind, value, start))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str, int]], text: str) -> None:
        self.tokens = tokens
        self.text = text
        self.position = 0
        self.depth = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        token = self.peek()
        if token is None:
            raise NumberError("the formula ends too early")
        self.position += 1
        return token

    def formula(self) -> Node:
        node = self.term()
        while (token := self.peek()) is not None and token[1] in "+-" and token[0] == "op":
            self.take()
            node = (token[1], node, self.term())
        return node

    def term(self) -> Node:
        node = self.factor()
        while (token := self.peek()) is not None and token[0] == "op" and token[1] in "*/":
            self.take()
            if token[1] == "*":
                node = ("*", node, self.factor())
                continue
            divisor = self.take()
            if divisor[0] != "number" or Decimal(divisor[1]) == 0:
                raise NumberError(
                    f"divide only by a number other than 0 (character {divisor[2] + 1})"
                )
            node = ("/", node, ("num", Decimal(divisor[1])))
        return node

    def factor(self) -> Node:
        kind, value, start = self.take()
        if kind == "number":
            return ("num", Decimal(value))
        if kind == "name":
            return ("var", value)
        if value == "-":
            return ("neg", self.factor())
        if value == "(":
            self.depth += 1
            if self.depth > 20:
                raise NumberError("the formula nests too deeply")
            node = self.formula()
            closing = self.take()
            if closing[1] != ")":
                raise NumberError(f"“)” expected at character {closing[2] + 1}")
            self.depth -= 1
            return node
        raise NumberError(f"unexpected “{value}” at character {start + 1}")


def _variables(node: Node) -> list[str]:
    if node[0] == "var":
        return [node[1]]
    if node[0] == "num":
        return []
    return [code for child in node[1:] for code in _variables(child)]


def _evaluate(node: Node, numbers: Mapping[str, Decimal]) -> Decimal:
    operator = node[0]
    if operator == "num":
        return node[1]
    if operator == "var":
        return numbers[node[1]]
    if operator == "neg":
        return -_evaluate(node[1], numbers)
    left, right = _evaluate(node[1], numbers), _evaluate(node[2], numbers)
    if operator == "+":
        return left + right
    if operator == "-":
        return left - right
    if operator == "*":
        return left * right
    return left / right


def decimal_or_none(raw: object) -> Decimal | None:
    """``raw`` as a Decimal, None when it is not one (for lenient readers of stored data)."""
    try:
        return parse_number(raw)
    except (NumberError, InvalidOperation):
        return None
