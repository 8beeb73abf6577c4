"""Completion: a valid configuration that keeps every choice and maximises preferences."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .layers import Layer
from .results import Violation
from .selection import Selection, SelectionError, Weights, allowed, units_of, value_on_path

if TYPE_CHECKING:
    from .engine import Engine

# Tie-breaks of completion, far below any preference weight a caller passes (>= 0.001).
_DEFAULT_BONUS = 1e-6
_EMPTY_BONUS = 1e-7


def completion_of(
    engine: Engine, selection: Selection, weights: Weights | None = None
) -> dict[str, Any]:
    """See :meth:`~.engine.Engine.complete`."""
    d = engine.diagram
    masks = allowed(engine, units_of(engine, selection))
    gains: list[np.ndarray | None] = []
    for layer in d.layers:
        gains.append(gain(engine, layer, weights or {}))
    path = d.best_path(masks, gains)
    if path is None:
        raise SelectionError(
            [Violation("engine.V040", "These choices admit no valid configuration.")]
        )
    result: dict[str, Any] = {}
    for group in engine.spec.groups:
        if group.has_values:
            result[group.code] = value_on_path(engine, group, path)
            if group.kind == "multi":
                result[group.code] = list(result[group.code])
        elif group.code in selection:
            result[group.code] = selection[group.code]
    return result


def gain(engine: Engine, layer: Layer, weights: Weights) -> np.ndarray:
    """What each index of ``layer`` adds to a configuration's score."""
    group = engine.groups[layer.group]
    scores = np.zeros(layer.size)
    if layer.kind == "choice":
        for i, code in enumerate(layer.domain):
            value = group.value(code) if code is not None else None  # type: ignore[arg-type]
            scores[i] = weights.get((group.code, code), 0.0)  # type: ignore[arg-type]
            if value is not None and value.default:
                scores[i] += _DEFAULT_BONUS
            if code is None:
                scores[i] += _EMPTY_BONUS
    elif layer.kind == "flag":
        value = group.value(layer.value or "")
        scores[1] = weights.get((group.code, layer.value), 0.0)
        if value is not None and value.default:
            scores[1] += _DEFAULT_BONUS
        scores[0] = _EMPTY_BONUS
    else:
        scores[0] = _EMPTY_BONUS
    return scores
