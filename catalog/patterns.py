"""Merchants' text patterns, matched in time linear in the shopper's text (RE2).

A text group's ``pattern`` is written by a merchant and run on every text a shopper types.
Python's ``re`` backtracks, so ``^(a+)+$`` on 40 characters would run for hours; RE2 never
backtracks and has no such pattern. RE2 has no backreferences and no lookaround: a pattern
that needs them cannot be compiled and is refused when the option set is imported, saved in
the admin or published.

The classes keep Python's meaning, so Vietnamese letters are word characters: RE2's ``\\w``,
``\\d`` and ``\\s`` are ASCII only, and are rewritten here into the Unicode classes that
Python's ``re`` uses for text (``\\w`` is exactly letters, numbers and ``_``). ``\\b`` and
``\\B`` (ASCII in RE2, Unicode in Python) and the negated classes inside brackets
(``[\\W…]``) have no faithful RE2 form and are refused. ``\\Z`` and ``\\uXXXX`` are written in
RE2's words (``\\z``, ``\\x{XXXX}``).

Pure Python (no Django): the catalog checks patterns with it and the engine matches with it.
"""

from __future__ import annotations

import re
from functools import lru_cache

import re2

_WORD = r"\p{L}\p{N}_"
_DIGIT = r"\p{Nd}"
# Python's str.isspace(), which is what ``\s`` means in a Python text pattern.
_SPACE = (
    r"\x{9}-\x{d}\x{1c}-\x{20}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
    r"\x{202f}\x{205f}\x{3000}"
)
_OUTSIDE = {
    "w": f"[{_WORD}]",
    "W": f"[^{_WORD}]",
    "d": _DIGIT,
    "D": r"\P{Nd}",
    "s": f"[{_SPACE}]",
    "S": f"[^{_SPACE}]",
    "Z": r"\z",
}
_INSIDE = {"w": _WORD, "d": _DIGIT, "D": r"\P{Nd}", "s": _SPACE}
_HEX = {"u": 4, "U": 8}
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # a refused pattern is reported to the merchant, not to stderr


class PatternError(ValueError):
    """RE2 cannot compile the pattern; the message says why, for the merchant."""


def _translate(pattern: str) -> str:
    """``pattern`` in RE2 syntax with Python's Unicode classes; raises :class:`PatternError`."""
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            letter = pattern[i + 1]
            i += 2
            if letter == "b" and in_class:
                out.append(r"\x{8}")  # backspace, as in Python
                continue
            if letter in "bB":
                raise PatternError(f"word boundaries (\\{letter}) are not supported")
            if letter in _HEX:
                digits = pattern[i : i + _HEX[letter]]
                if len(digits) != _HEX[letter] or not all(c in _HEX_DIGITS for c in digits):
                    raise PatternError(f"bad escape \\{letter}{digits}")
                out.append(f"\\x{{{digits}}}")
                i += len(digits)
                continue
            table = _INSIDE if in_class else _OUTSIDE
            if in_class and letter in "WS":
                raise PatternError(f"\\{letter} is not supported inside [...]")
            out.append(table.get(letter, "\\" + letter))
            continue
        if ch == "[" and not in_class:
            in_class = True
            out.append(ch)
            i += 1
            if i < n and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < n and pattern[i] == "]":  # a "]" first in a class is a literal
                out.append(r"\]")
                i += 1
            continue
        if ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


@lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> re2._Regexp:
    """The compiled RE2 form of a merchant's ``pattern``; raises :class:`PatternError`.

    Cached: the engine matches the same few patterns on every keystroke.
    """
    translated = _translate(pattern)
    try:
        return re2.compile(translated, _OPTIONS)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(str(reason)) from None


def pattern_problem(pattern: str) -> tuple[str, str] | None:
    """Why ``pattern`` is refused, as ``("syntax" | "unsupported", reason)``; None if it is not.

    ``"syntax"``: not a regular expression at all (Python's ``re`` cannot read it either);
    ``"unsupported"``: a Python regular expression that RE2 cannot match (backreferences,
    lookaround, word boundaries). Python's ``re`` only compiles here, never matches.
    """
    try:
        compile_pattern(pattern)
    except PatternError as exc:
        try:
            re.compile(pattern)
        except re.error as python_error:
            return "syntax", str(python_error)
        return "unsupported", str(exc)
    return None


def pattern_fullmatch(pattern: str, text: str) -> bool:
    """Whether the whole of ``text`` matches ``pattern``; raises :class:`PatternError`."""
    return compile_pattern(pattern).fullmatch(text) is not None
