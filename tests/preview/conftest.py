"""Preview tests are pure: no database, each starts with empty picture caches."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from configurator.preview import clear_caches


@pytest.fixture(autouse=True)
def _fresh_caches():
    clear_caches()
    yield
    clear_caches()


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image
