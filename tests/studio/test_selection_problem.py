"""A refusal raised inside a ``with`` block reaches the caller as itself."""

from __future__ import annotations

import contextlib

import pytest

from configurator.api.errors import status_for
from configurator.configuring.selection import SelectionProblem


@contextlib.contextmanager
def step():
    yield  # a generator-based manager re-raises with ``exc.__traceback__ = …``


def test_a_refusal_survives_a_context_manager():
    with pytest.raises(SelectionProblem) as caught, step():
        raise SelectionProblem("engine.V002", "Unknown value.", "selection.color")
    problem = caught.value
    assert (problem.code, problem.detail, problem.field, status_for(problem)) == (
        "engine.V002",
        "Unknown value.",
        "selection.color",
        400,
    )
    assert problem == SelectionProblem("engine.V002", "Unknown value.", "selection.color")
