"""The shoe every engine test module shares (compiled once per module)."""

from __future__ import annotations

import pytest

from configurator.engine import Engine, compile_option_set

from .documents import SHOE


@pytest.fixture(scope="module")
def shoe() -> Engine:
    return compile_option_set(SHOE)
