"""The configuration engine: pure Python, no ORM, no request, no settings.

``compile_option_set(document)`` turns an option-set/1 document into an :class:`Engine` that
answers, exactly, which values remain valid, why one is not, whether a configuration is
valid, how to complete it, and what it costs. See ``docs/engine.md``.
"""

from .engine import (
    EXPLANATIONS_KEPT,
    MINOR_UNITS,
    Engine,
    Selection,
    SelectionError,
    Weights,
    chargeable_characters,
    compile_option_set,
    display_values,
    unprintable_characters,
)
from .results import (
    Answers,
    Display,
    Explanation,
    ImageInfo,
    Margin,
    Price,
    PriceLine,
    Repair,
    RuleRef,
    Violation,
)
from .selection import Unit
from .spec import EngineError, Issue

__all__ = [
    "EXPLANATIONS_KEPT",
    "MINOR_UNITS",
    "Answers",
    "Display",
    "Engine",
    "EngineError",
    "Explanation",
    "ImageInfo",
    "Issue",
    "Margin",
    "Price",
    "PriceLine",
    "Repair",
    "RuleRef",
    "Selection",
    "SelectionError",
    "Unit",
    "Violation",
    "Weights",
    "chargeable_characters",
    "compile_option_set",
    "display_values",
    "unprintable_characters",
]
