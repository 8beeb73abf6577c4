"""Reading a shopper's selection from a request: shapes, codes and limits, every one coded."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from configurator.engine import Engine, ImageInfo

from .errors import SelectionCode, SelectionProblem
from .evaluation import localized

__all__ = ["ImageResolver", "SelectionCode", "SelectionProblem", "selection_parse"]


# The engine's refusals of a text itself (others, such as V003, concern the whole selection).
_TEXT_LIMITS = frozenset({"engine.V012", "engine.V010", "engine.V011"})

ImageResolver = Callable[[str, str], ImageInfo]  # (group, upload reference) -> ImageInfo


def selection_parse(
    *,
    engine: Engine,
    raw: Any,
    resolve_image: ImageResolver | None = None,
    language: str = "vi",
) -> dict[str, Any]:
    """The engine selection for the request's ``raw`` selection, in the shopper's order.

    Raises :class:`SelectionProblem` for the first problem: not an object
    (``selection.E001``), unknown group (``engine.V001``), wrong shape (``engine.V006``),
    unknown or switched-off value (``engine.V002``), text over its limits
    (``engine.V010``/``V011``) or holding control or invisible characters
    (``engine.V012``), image not uploaded here (``selection.E002``), and choices
    that contradict each other (``selection.E010``, HTTP 409, naming the rule).
    """
    if not isinstance(raw, Mapping):
        raise SelectionProblem(
            SelectionCode.NOT_AN_OBJECT, "The selection must be an object.", "selection"
        )
    selection: dict[str, Any] = {}
    for code, value in raw.items():
        field = f"selection.{code}"
        group = engine.groups.get(code)
        if group is None:
            raise SelectionProblem(
                SelectionCode.UNKNOWN_GROUP, f"Unknown option group “{code}”.", field
            )
        if group.kind == "choice":
            if value is not None and not isinstance(value, str):
                raise SelectionProblem(SelectionCode.WRONG_SHAPE, "Choose one value code.", field)
            if value is not None and group.value(value) is None:
                raise SelectionProblem(
                    SelectionCode.UNKNOWN_VALUE, f"Unknown value “{value}”.", field
                )
            if value is None and group.required:
                continue
            selection[code] = value
        elif group.kind == "multi":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise SelectionProblem(
                    SelectionCode.WRONG_SHAPE, "Choose a list of value codes.", field
                )
            for item in value:
                if group.value(item) is None:
                    raise SelectionProblem(
                        SelectionCode.UNKNOWN_VALUE, f"Unknown value “{item}”.", field
                    )
            if len(set(value)) != len(value):
                raise SelectionProblem(SelectionCode.REPEATED_VALUE, "A value is repeated.", field)
            selection[code] = list(value)
        elif group.kind == "text":
            if not isinstance(value, str):
                raise SelectionProblem(SelectionCode.WRONG_SHAPE, "Enter a text.", field)
            text = unicodedata.normalize("NFC", value)
            violations = [v for v in engine.validate({code: text}) if v.code in _TEXT_LIMITS]
            if violations:
                raise SelectionProblem(violations[0].code, violations[0].message, field)
            selection[code] = text
        else:
            if value is None:
                selection[code] = None
                continue
            if not isinstance(value, str) or resolve_image is None:
                raise SelectionProblem(
                    SelectionCode.IMAGE_NOT_UPLOADED,
                    "Upload the image first and send its id.",
                    field,
                )
            selection[code] = resolve_image(code, value)
    _check_consistent(engine, selection, language)
    return selection


def _check_consistent(engine: Engine, selection: dict[str, Any], language: str) -> None:
    if engine.is_consistent(selection):
        return
    # Name the first choice, in the shopper's order, that the earlier ones rule out.
    prefix: dict[str, Any] = {}
    for code, value in selection.items():
        trial = {**prefix, code: value}
        if not engine.is_consistent(trial):
            target = value if engine.groups[code].kind == "choice" else None
            explanation = engine.explain(prefix, code, target) if isinstance(target, str) else None
            messages = [
                localized(m, language) for m in (explanation.messages if explanation else ())
            ]
            detail = messages[0] if messages else "These choices cannot be combined."
            raise SelectionProblem(SelectionCode.CONFLICT, detail, f"selection.{code}")
        prefix = trial
