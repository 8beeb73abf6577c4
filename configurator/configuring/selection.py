"""Reading a shopper's selection from a request: shapes, codes and limits, every one coded."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from catalog.moderation import BlockedTerm, WordList
from catalog.numbers import number_text
from catalog.selectors import blocked_words
from configurator.engine import Engine, ImageInfo, SelectionError, unprintable_characters

from .errors import SelectionCode, SelectionProblem
from .evaluation import PRESENT, localized
from .placement import PLACEMENT_KEY, placements_parse

logger = logging.getLogger(__name__)

__all__ = [
    "ImageResolver",
    "SelectionCode",
    "SelectionProblem",
    "selection_check_consistent",
    "selection_parse",
]


# The engine's refusals of a text itself (others, such as V003, concern the whole selection).
_TEXT_LIMITS = frozenset({"engine.V012", "engine.V010", "engine.V011"})

logger = logging.getLogger(__name__)

ImageResolver = Callable[[str, str], ImageInfo]  # (group, upload reference) -> ImageInfo


def selection_parse(
    *,
    engine: Engine,
    raw: Any,
    resolve_image: ImageResolver | None = None,
    language: str = "vi",
    check_consistent: bool = True,
    fresh_words: bool = False,
) -> dict[str, Any]:
    """The engine selection for the request's ``raw`` selection, in the shopper's order.

    ``fresh_words``: read the merchant's blocked words now rather than the list this process
    read a few seconds ago (the cart and checkout do: an order never carries a blocked text).

    ``check_consistent=False`` leaves the last check (``selection.E010``) to the caller,
    who asks the diagram anyway: :func:`selection_check_consistent`.

    Raises :class:`SelectionProblem` for the first problem: not an object
    (``selection.E001``), unknown group (``engine.V001``), wrong shape (``engine.V006``),
    unknown or switched-off value (``engine.V002``), text over its limits
    (``engine.V010``/``V011``) or holding control or invisible characters
    (``engine.V012``), image not uploaded here (``selection.E002``), and choices
    that contradict each other (``selection.E010``, HTTP 409, naming the rule; for a text
    or a picture that other choices would make fit, naming them and carrying them as
    ``repair``), a text holding a word of the merchant's blocked list
    (``selection.E020``), and a placement (``"@placement"``) that is malformed or leaves
    the print area (``placement.E00x``, :func:`.placement.placements_parse`). Messages are
    in ``language``. The placements are not in the returned selection (the engine knows
    nothing of them): :func:`.placement.selection_placements` reads them.
    """
    if not isinstance(raw, Mapping):
        raise SelectionProblem(
            SelectionCode.NOT_AN_OBJECT,
            _said(language, gettext_noop("The selection must be an object.")),
            "selection",
        )
    selection: dict[str, Any] = {}
    words = _BlockedWords(fresh=fresh_words)
    for code, value in raw.items():
        if code == PLACEMENT_KEY:
            continue  # read once the elements it places are known
        field = f"selection.{code}"
        group = engine.groups.get(code)
        if group is None:
            raise SelectionProblem(
                SelectionCode.UNKNOWN_GROUP,
                _said(
                    language,
                    gettext_noop("This product has no option “%(code)s”."),
                    code=str(code)[:64],
                ),
                field,
            )
        if group.number is not None:
            if value is None and group.required:
                continue
            selection[code] = _number_choice(engine, code, value, field, language)
        elif group.kind == "choice":
            if value is not None and not isinstance(value, str):
                raise SelectionProblem(
                    SelectionCode.WRONG_SHAPE,
                    _said(language, gettext_noop("Choose one value.")),
                    field,
                )
            if value is not None and group.value(value) is None:
                raise SelectionProblem(
                    SelectionCode.UNKNOWN_VALUE, _unknown_value(group, value, language), field
                )
            if value is None and group.required:
                continue
            selection[code] = value
        elif group.kind == "multi":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise SelectionProblem(
                    SelectionCode.WRONG_SHAPE,
                    _said(language, gettext_noop("Choose a list of values.")),
                    field,
                )
            for item in value:
                if group.value(item) is None:
                    raise SelectionProblem(
                        SelectionCode.UNKNOWN_VALUE, _unknown_value(group, item, language), field
                    )
            if len(set(value)) != len(value):
                raise SelectionProblem(
                    SelectionCode.REPEATED_VALUE,
                    _said(language, gettext_noop("A value is chosen twice.")),
                    field,
                )
            selection[code] = list(value)
        elif group.kind == "text":
            if not isinstance(value, str):
                raise SelectionProblem(
                    SelectionCode.WRONG_SHAPE, _said(language, gettext_noop("Enter a text.")), field
                )
            text = unicodedata.normalize("NFC", value)
            violations = [v for v in engine.group_violations(code, text) if v.code in _TEXT_LIMITS]
            if violations:
                raise SelectionProblem(
                    violations[0].code, violation_text(engine, violations[0], language), field
                )
            blocked = words.find(text) if text.strip() else None
            if blocked is not None:
                refusal = _blocked_refusal(engine, code, blocked, language)
                raise SelectionProblem(SelectionCode.BLOCKED_TEXT, refusal, field)
            selection[code] = text
        else:
            if value is None:
                selection[code] = None
                continue
            if not isinstance(value, str) or resolve_image is None:
                raise SelectionProblem(
                    SelectionCode.IMAGE_NOT_UPLOADED,
                    _said(language, gettext_noop("Upload the picture first.")),
                    field,
                )
            selection[code] = resolve_image(code, value)
    placements_parse(
        engine=engine, raw=raw.get(PLACEMENT_KEY), selection=selection, language=language
    )
    if check_consistent:
        selection_check_consistent(engine, selection, language)
    return selection


def _number_choice(engine: Engine, code: str, value: Any, field: str, language: str) -> Any:
    """A number group's choice as its value's code ("120"), or None for an optional group left
    empty; a number off the group's grid is refused (V006, V013, V014) in the shopper's
    language: "Chiều rộng phải từ 50 đến 300 cm, bước 10 cm"."""
    group = engine.groups[code]
    number = group.number
    assert number is not None
    if value is None or value == "":
        if group.required:
            raise SelectionProblem(
                SelectionCode.WRONG_SHAPE, _number_refusal(group, language), field
            )
        return None
    if isinstance(value, str) and len(value) > 30:
        value = value[:30] + "…"  # never a long text into a message or a log
    violations = engine.group_violations(code, value)
    if violations:
        logger.info("number refused: group=%s value=%r code=%s", code, value, violations[0].code)
        raise SelectionProblem(violations[0].code, _number_refusal(group, language), field)
    return number.code_of(value)


def _number_refusal(group: Any, language: str) -> str:
    """What a number group takes, in the shopper's language."""
    number = group.number
    grid = number.grid
    numbers = {
        "name": localized(group.name, language),
        "min": number_display(grid.minimum, language),
        "max": number_display(grid.maximum, language),
        "step": number_display(grid.increment, language),
        "unit": number.unit,
    }
    with translation.override(language):
        if number.unit:
            text = _(
                "%(name)s must be from %(min)s to %(max)s %(unit)s, in steps of %(step)s %(unit)s."
            )
            return text % numbers
        return _("%(name)s must be from %(min)s to %(max)s, in steps of %(step)s.") % numbers


def number_display(value: Decimal, language: str) -> str:
    """A number as the shopper reads it: "0,5" in Vietnamese, "0.5" in English."""
    text = number_text(value)
    return text.replace(".", ",") if language == "vi" else text


class _BlockedWords:
    """The merchant's blocked words, read once per selection and only if it holds a text."""

    def __init__(self, *, fresh: bool = False) -> None:
        self._list: WordList | None = None
        self._fresh = fresh

    def find(self, text: str) -> BlockedTerm | None:
        if self._list is None:
            self._list = blocked_words(fresh=self._fresh)
        return self._list.find(text)


def _blocked_refusal(engine: Engine, code: str, blocked: BlockedTerm, language: str) -> str:
    """Why a text is refused: the merchant's message, or ours, in the shopper's language."""
    group = engine.groups[code]
    with translation.override(language):
        message = blocked.message(language) or _(
            "This text contains a word the shop does not accept."
        )
        return _("%(name)s: %(message)s") % {
            "name": localized(group.name, language),
            "message": message,
        }


def _said(language: str, message: str, **values: Any) -> str:
    """``message`` (marked with ``gettext_noop``) in ``language``, with its ``values``."""
    with translation.override(language):
        said = translation.gettext(message)
    return said % values if values else said


def _unknown_value(group: Any, value: Any, language: str) -> str:
    return _said(
        language,
        gettext_noop("%(group)s has no value “%(value)s”."),
        group=localized(group.name, language),
        value=str(value)[:64],
    )


def violation_text(engine: Engine, violation: Any, language: str) -> str:
    """What the engine found wrong with a choice (``engine.V0xx``), in the shopper's words:
    the group by its name in ``language``, never its code; a broken rule by its message."""
    if violation.rule is not None:
        said = localized(violation.rule.message, language)
        if said:
            return said
    code = violation.groups[0] if violation.groups else ""
    group = engine.groups.get(code)
    if group is None:
        return str(violation.message)
    name = localized(group.name, language)
    with translation.override(language):
        return _violation_said(group, name, violation) or str(violation.message)


def _violation_said(group: Any, name: str, violation: Any) -> str:
    kind = group.kind
    said = {
        ("engine.V003", "choice"): _("Choose a value for %(group)s."),
        ("engine.V003", "multi"): _("Choose a value for %(group)s."),
        ("engine.V003", "text"): _("Enter a text for %(group)s."),
        ("engine.V003", "image"): _("Upload a picture for %(group)s."),
        ("engine.V006", kind): _("%(group)s does not take this kind of answer."),
        ("engine.V007", kind): _("A value of %(group)s is chosen twice."),
        ("engine.V011", kind): _("%(group)s does not take these characters."),
        ("engine.V021", kind): _("The picture for %(group)s must be at least %(size)s pixels."),
        ("engine.V022", kind): _("The picture for %(group)s must be one of: %(formats)s."),
    }.get((violation.code, kind))
    values: dict[str, Any] = {"group": name}
    if violation.code == "engine.V004":
        low = max(group.min, 1 if group.required else 0)
        said = ngettext(
            "Choose at least %(count)s value of %(group)s.",
            "Choose at least %(count)s values of %(group)s.",
            low,
        )
        values["count"] = low
    elif violation.code == "engine.V005" and group.max is not None:
        said = ngettext(
            "Choose at most %(count)s value of %(group)s.",
            "Choose at most %(count)s values of %(group)s.",
            group.max,
        )
        values["count"] = group.max
    elif violation.code == "engine.V010" and group.max_length is not None:
        said = ngettext(
            "%(name)s takes at most %(max)s character.",
            "%(name)s takes at most %(max)s characters.",
            group.max_length,
        )
        values = {"name": name, "max": group.max_length}
    elif violation.code == "engine.V012":
        said = _("%(group)s takes no control or invisible characters (%(characters)s).")
        text = str(violation.values[0]) if violation.values else ""
        hidden = unprintable_characters(text)
        values["characters"] = ", ".join(f"U+{ord(ch):04X}" for ch in hidden)
    elif violation.code == "engine.V020" and group.max_bytes is not None:
        said = _("The picture for %(group)s is larger than %(size)s.")
        values["size"] = filesizeformat(group.max_bytes)
    values["size"] = values.get("size") or f"{group.min_width or 0}×{group.min_height or 0}"
    values["formats"] = ", ".join(f.upper() for f in group.formats)
    return said % values if said else ""


def selection_check_consistent(
    engine: Engine, selection: dict[str, Any], language: str, *, known: bool | None = None
) -> None:
    """Raise ``selection.E010`` (409) when the choices contradict each other, naming the
    first choice the earlier ones rule out. ``known``: whether the selection is consistent,
    when the caller has asked the diagram already."""
    if known if known is not None else engine.is_consistent(selection):
        return
    if engine.off:
        _refuse_out_of_stock(engine, selection, language)
    # Name the first choice, in the shopper's order, that the earlier ones rule out, and
    # the earlier choices to change so that it fits (a picture or a text as much as a value).
    prefix: dict[str, Any] = {}
    for code, value in selection.items():
        trial = {**prefix, code: value}
        if not engine.is_consistent(trial):
            target = _target(engine, code, value)
            explanation = engine.explain(prefix, code, target) if target is not None else None
            messages = [
                localized(m, language) for m in (explanation.messages if explanation else ())
            ]
            # A value's repair is offered beside the value itself (evaluation.py); a text or
            # a picture has no list to offer it in, so the refusal carries it.
            group = engine.groups[code]
            given = group.kind in ("text", "image") or group.number is not None
            repair = (
                dict(explanation.repair.changes)
                if given and explanation and explanation.repair
                else None
            )
            with translation.override(language):
                detail = messages[0] if messages else _("These choices cannot be combined.")
                if repair:
                    detail = _("%(reason)s. Change %(changes)s to use it.") % {
                        "reason": detail.rstrip("."),
                        "changes": _changes_text(engine, repair, language),
                    }
            raise SelectionProblem(
                SelectionCode.CONFLICT, detail, f"selection.{code}", repair=repair
            )
        prefix = trial


def _refuse_out_of_stock(engine: Engine, selection: dict[str, Any], language: str) -> None:
    """Raise ``selection.E030`` (409) for the first chosen value that is out of stock, with
    the repair: that group as the best configuration keeping every other choice takes it."""
    for code, chosen in selection.items():
        gone = engine.off_by_group.get(code, frozenset())
        held = [chosen] if isinstance(chosen, str) else list(chosen or ()) if gone else []
        out = [value for value in held if value in gone]
        if not out:
            continue
        group = engine.groups[code]
        rest = {k: v for k, v in selection.items() if k != code}
        if group.kind == "multi":
            rest[code] = [value for value in held if value not in gone]
        repair = None
        try:
            completion = engine.complete(rest)
        except SelectionError:
            logger.info("no repair keeps the other choices with %s out of stock", code)
        else:
            kept = completion[code]
            repair = {code: list(kept) if isinstance(kept, list | tuple) else kept}
        value = group.value(out[0])
        assert value is not None
        with translation.override(language):
            detail = _("%(group)s “%(value)s” is out of stock.") % {
                "group": localized(group.name, language),
                "value": localized(value.name, language),
            }
            if repair:
                detail = _("%(reason)s Change %(changes)s to go on.") % {
                    "reason": detail,
                    "changes": _changes_text(engine, repair, language),
                }
        raise SelectionProblem(
            SelectionCode.OUT_OF_STOCK, detail, f"selection.{code}", repair=repair
        )


def _target(engine: Engine, code: str, value: Any) -> str | None:
    """What :meth:`Engine.explain` is asked about: a value, or a text or picture given."""
    kind = engine.groups[code].kind
    if kind == "choice":
        return value if isinstance(value, str) else None
    if kind in ("text", "image") and value is not None and value != "":
        return PRESENT
    return None


def _changes_text(engine: Engine, changes: dict[str, Any], language: str) -> str:
    """“Pattern: Your photo, …”: each change as its group's and value's names."""
    parts = []
    for code, value in changes.items():
        group = engine.groups[code]
        chosen = group.value(value) if isinstance(value, str) and group.has_values else None
        shown = localized(chosen.name, language) if chosen is not None else (value or _("None"))
        parts.append(f"{localized(group.name, language)}: “{shown}”")
    return ", ".join(parts)
