"""What each group kind accepts as a choice, checked one group at a time.

:func:`group_violations` dispatches on each group's kind; each check returns every
violation of its group (codes ``engine.V003``-``V022``), in a fixed order.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from catalog.patterns import pattern_fullmatch

from .results import ImageInfo, Violation
from .selection import Selection, number_violations, unknown_value
from .spec import GroupSpec

# Characters a text may not hold: controls (NUL, tab, line breaks; no group takes several
# lines), format characters that draw nothing or reorder what is drawn (bidi overrides
# U+202E, zero-width U+200B-U+200D, U+2060, U+FEFF, soft hyphen), lone surrogates (which
# no database stores) and line/paragraph separators.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def unprintable_characters(text: str) -> tuple[str, ...]:
    """The distinct characters of ``text`` that a text option refuses, in order of appearance.

    Combining marks are letters' parts, not hidden characters: Vietnamese typed decomposed
    passes (and is composed by NFC before it is kept).
    """
    return tuple(dict.fromkeys(ch for ch in text if unicodedata.category(ch) in _UNPRINTABLE))


def group_violations(groups: Iterable[GroupSpec], selection: Selection) -> list[Violation]:
    """Every violation of the selection's choice of each of ``groups``, rules aside."""
    found: list[Violation] = []
    for group in groups:
        found.extend(_CHECKS[group.kind](group, selection.get(group.code)))
    return found


def _choice_violations(group: GroupSpec, chosen: Any) -> list[Violation]:
    code = group.code
    if chosen is None:
        if group.required:
            return [Violation("engine.V003", f"Choose a value for “{code}”.", (code,))]
        return []
    if group.number is not None:
        return number_violations(group, chosen)
    if not isinstance(chosen, str):
        return [Violation("engine.V006", f"“{code}” takes one value.", (code,))]
    if group.value(chosen) is None:
        return [unknown_value(code, chosen)]
    return []


def _multi_violations(group: GroupSpec, chosen: Any) -> list[Violation]:
    code = group.code
    chosen = chosen or []
    if isinstance(chosen, str) or not isinstance(chosen, list | tuple):
        return [Violation("engine.V006", f"“{code}” takes a list of values.", (code,))]
    found = [unknown_value(code, value) for value in chosen if group.value(value) is None]
    if len(set(chosen)) != len(chosen):
        found.append(Violation("engine.V007", f"A value of “{code}” is repeated.", (code,)))
    low = max(group.min, 1 if group.required else 0)
    if len(set(chosen)) < low:
        found.append(Violation("engine.V004", f"Choose at least {low} of “{code}”.", (code,)))
    if group.max is not None and len(set(chosen)) > group.max:
        found.append(Violation("engine.V005", f"Choose at most {group.max} of “{code}”.", (code,)))
    return found


def _text_violations(group: GroupSpec, chosen: Any) -> list[Violation]:
    code = group.code
    if chosen is not None and not isinstance(chosen, str):
        return [Violation("engine.V006", f"“{code}” takes a text.", (code,))]
    text = unicodedata.normalize("NFC", chosen or "")
    if not text:
        if group.required:
            return [Violation("engine.V003", f"Enter a text for “{code}”.", (code,))]
        return []
    found: list[Violation] = []
    hidden = unprintable_characters(text)
    if hidden:
        shown = ", ".join(f"U+{ord(ch):04X}" for ch in hidden)
        message = f"“{code}” takes no control or invisible characters ({shown})."
        found.append(Violation("engine.V012", message, (code,), (text,)))
    if group.max_length is not None and len(text) > group.max_length:
        message = f"“{code}” takes at most {group.max_length} characters."
        found.append(Violation("engine.V010", message, (code,), (text,)))
    # A text already refused for hidden characters is not matched (a lone surrogate
    # cannot even be encoded for RE2).
    if group.pattern and not hidden and not pattern_fullmatch(group.pattern, text):
        message = f"“{code}” does not take this text."
        found.append(Violation("engine.V011", message, (code,), (text,)))
    return found


def _image_violations(group: GroupSpec, chosen: Any) -> list[Violation]:
    code = group.code
    if chosen is None:
        if group.required:
            return [Violation("engine.V003", f"Upload an image for “{code}”.", (code,))]
        return []
    info = chosen if isinstance(chosen, ImageInfo) else ImageInfo(**dict(chosen))
    found: list[Violation] = []
    if group.max_bytes is not None and info.bytes > group.max_bytes:
        message = f"The image is larger than {group.max_bytes} bytes."
        found.append(Violation("engine.V020", message, (code,)))
    if (group.min_width and info.width < group.min_width) or (
        group.min_height and info.height < group.min_height
    ):
        size = f"{group.min_width or 0}×{group.min_height or 0}"
        found.append(
            Violation("engine.V021", f"The image must be at least {size} pixels.", (code,))
        )
    if group.formats and _format_name(info.format) not in {_format_name(f) for f in group.formats}:
        message = f"The image must be one of: {', '.join(group.formats)}."
        found.append(Violation("engine.V022", message, (code,), (info.format,)))
    return found


def _format_name(name: str) -> str:
    name = name.lower()
    return "jpeg" if name == "jpg" else name


_CHECKS: dict[str, Callable[[GroupSpec, Any], list[Violation]]] = {
    "choice": _choice_violations,
    "multi": _multi_violations,
    "text": _text_violations,
    "image": _image_violations,
}
