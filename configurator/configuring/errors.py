"""Refusals of a shopper's selection, with their codes."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from configurator.errors import ApplicationError


class SelectionCode(StrEnum):
    NOT_AN_OBJECT = "selection.E001"
    IMAGE_NOT_UPLOADED = "selection.E002"
    CONFLICT = "selection.E010"  # choices that rule each other out
    BLOCKED_TEXT = "selection.E020"  # a text holding a word of the merchant's blocked list
    OUT_OF_STOCK = "selection.E030"  # a value out of stock (switched off at run time)
    # A placed picture or text (configuring/placement.py; the codes of preview.placement).
    PLACEMENT_SHAPE = "placement.E001"  # not an object, an unknown key, not a number
    PLACEMENT_GROUP = "placement.E002"  # an unknown group, or one that cannot be placed
    PLACEMENT_SCALE = "placement.E003"  # size outside 10–100% of as large as fits
    PLACEMENT_ROTATION = "placement.E004"  # a turn beyond ±180°
    PLACEMENT_OUTSIDE = "placement.E005"  # it would leave the print area
    # The engine's own codes, where the selection is read (docs/engine.md lists them all).
    UNKNOWN_GROUP = "engine.V001"
    UNKNOWN_VALUE = "engine.V002"
    WRONG_SHAPE = "engine.V006"
    REPEATED_VALUE = "engine.V007"
    NUMBER_OUT_OF_RANGE = "engine.V013"  # a number group's number below or above its range
    NUMBER_OFF_STEP = "engine.V014"  # ... or between two of its values
    UPLOAD_NOT_FOUND = "upload.not_found"


class SelectionProblem(ApplicationError):
    """Why a selection cannot be read or used: a code (a :class:`SelectionCode` or one of
    the engine's violation codes), a message and the dotted field; ``repair``, for a
    conflict, the other choices (group code -> value) that would make the field fit."""

    def __init__(
        self,
        code: str,
        detail: str,
        field: str | None = None,
        *,
        repair: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(code, detail, field)
        self.repair = repair
