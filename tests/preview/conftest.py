"""Preview tests are pure: no database, each starts with empty picture caches."""

from __future__ import annotations

import pytest

from configurator.preview import clear_caches


@pytest.fixture(autouse=True)
def _fresh_caches():
    clear_caches()
    yield
    clear_caches()
