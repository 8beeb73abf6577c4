"""Generic shape readers: objects, lists, texts, numbers, names, amounts, codes and extensions.

:class:`ShapeReader` collects every problem it meets instead of stopping at the first; the
readers of groups, rules and layers build on it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..extensions import Problem
from ..models import CODE_PATTERN
from ..money import has_valid_decimals
from .codes import LANGUAGES, MAX_AMOUNT
from .data import Names

CODE_RE = re.compile(CODE_PATTERN)
AMOUNT_RE = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
SWATCH_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
IDENTIFIER_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def key_path(path: str, key: str) -> str:
    """``path.key``, or ``path["key"]`` when ``key`` is not a plain identifier."""
    if IDENTIFIER_RE.match(key):
        return f"{path}.{key}"
    return f'{path}["{key}"]'


def show(raw: Any) -> str:
    """A short rendering of a bad input for a message."""
    text = repr(raw) if not isinstance(raw, str) else f"“{raw}”"
    return text if len(text) <= 60 else text[:57] + "…"


class ShapeReader:
    """Reads the shapes every part of a document is made of, collecting problems in ``problems``.

    ``currency`` is the product's, once read: amounts are checked against its decimals.
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.currency: str | None = None

    def add(self, code: str, path: str, message: str) -> None:
        self.problems.append(Problem(code=code, message=message, path=path))

    def keys(
        self,
        raw: dict[str, Any],
        path: str,
        *,
        required: tuple[str, ...],
        optional: tuple[str, ...],
        misplaced: set[str] | frozenset[str] = frozenset(),
        kind: str = "",
    ) -> None:
        for key in required:
            if key not in raw:
                self.add("format.E004", key_path(path, key), f"“{key}” is required.")
        allowed = {*required, *optional, "extensions"}
        for key in raw:
            if key in allowed:
                continue
            if key in misplaced:
                self.add(
                    "format.E023", key_path(path, key), f"“{key}” does not apply to {kind} groups."
                )
            else:
                self.add("format.E003", key_path(path, key), f"Unknown key “{key}”.")

    def obj(self, raw: Any, path: str, what: str) -> dict[str, Any] | None:
        if isinstance(raw, dict):
            return raw
        self.add("format.E005", path, f"{what} must be an object.")
        return None

    def lst(self, raw: Any, path: str, what: str) -> list[Any]:
        if isinstance(raw, list):
            return raw
        self.add("format.E005", path, f"{what} must be a list.")
        return []

    def text(self, raw: Any, path: str, *, max_length: int, default: str = "") -> str:
        if raw is None:
            return default
        if not isinstance(raw, str):
            self.add("format.E005", path, "Must be a string.")
            return default
        if len(raw) > max_length:
            self.add("format.E007", path, f"At most {max_length} characters.")
        return raw

    def boolean(self, raw: Any, path: str, *, default: bool) -> bool:
        if raw is None:
            return default
        if not isinstance(raw, bool):
            self.add("format.E005", path, "Must be true or false.")
            return default
        return raw

    def integer(self, raw: Any, path: str, *, low: int, high: int) -> int | None:
        if raw is None:
            return None
        if not isinstance(raw, int) or isinstance(raw, bool):
            self.add("format.E005", path, "Must be an integer.")
            return None
        if not low <= raw <= high:
            self.add("format.E024", path, f"Must be between {low} and {high}.")
            return None
        return raw

    def names(self, raw: Any, path: str, *, required: bool, max_length: int) -> Names:
        if raw is None:
            return Names()
        if isinstance(raw, str):
            texts = {"vi": raw}
        elif isinstance(raw, dict):
            texts = {}
            for language, text in raw.items():
                sub = key_path(path, language)
                if language not in LANGUAGES:
                    self.add("format.E006", sub, f"Unknown language “{language}”: use “vi”, “en”.")
                elif not isinstance(text, str):
                    self.add("format.E005", sub, "Must be a string.")
                else:
                    texts[language] = text
        else:
            self.add("format.E005", path, "Must be a string or an object of language to text.")
            return Names()
        for language, text in texts.items():
            if len(text) > max_length:
                sub = path if isinstance(raw, str) else key_path(path, language)
                self.add("format.E006", sub, f"At most {max_length} characters.")
        if required and not any(text.strip() for text in texts.values()):
            self.add("format.E006", path, "Must not be empty.")
        return Names(vi=texts.get("vi", ""), en=texts.get("en", ""))

    def amount(self, raw: Any, path: str, *, negative: bool = True) -> Decimal | None:
        if raw is None:
            return None
        if not isinstance(raw, str) or not AMOUNT_RE.match(raw):
            self.add("format.E012", path, 'Write amounts as decimal strings, e.g. "350000".')
            return None
        amount = Decimal(raw)
        if amount < 0 and not negative:
            self.add("format.E012", path, "Must not be negative.")
        elif abs(amount) >= MAX_AMOUNT:
            self.add("format.E014", path, "Must be less than 1,000,000,000,000.")
        elif self.currency and not has_valid_decimals(amount, self.currency):
            self.add("format.E013", path, f"Too many decimals for {self.currency}.")
        return amount

    def code(self, raw: Any, path: str, error: str, what: str) -> str | None:
        if isinstance(raw, str) and len(raw) <= 64 and CODE_RE.match(raw):
            return raw
        self.add(
            error,
            path,
            f"{what} must be 1 to 64 letters, digits, “_”, “-” or “.”, not {show(raw)}.",
        )
        return None

    def extensions(self, raw: dict[str, Any], path: str) -> dict[str, Any]:
        """The ``extensions`` object of ``raw`` (``{}`` when absent)."""
        extensions = raw.get("extensions")
        if extensions is None:
            return {}
        if not isinstance(extensions, dict):
            self.add("format.E005", f"{path}.extensions", "Must be an object.")
            return {}
        return extensions

    def strict_extensions(
        self, raw: dict[str, Any], path: str, known: tuple[str, ...]
    ) -> dict[str, Any]:
        """The ``extensions`` object of ``raw``, refusing keys other than ``known``."""
        extensions = self.extensions(raw, path)
        for key in extensions:
            if key not in known:
                self.add(
                    "format.E060",
                    key_path(f"{path}.extensions", key),
                    f"Unknown extension “{key}” here; known: {', '.join(known)}.",
                )
        return extensions
