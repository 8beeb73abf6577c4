"""The studio page stays light: under 300 KB before images (HTML, CSS, scripts)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


def test_studio_weighs_under_300_kb_before_images(client):
    call_command("demo", "--noserve", stdout=io.StringIO())
    page = client.get("/studio/SNEAKER-01/").content
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', page)
    assert sorted(assets) == [b"shop.css", b"studio/studio.css", b"studio/studio.js"]
    static = Path(settings.BASE_DIR) / "static"
    weight = len(page) + sum((static / a.decode()).stat().st_size for a in assets)
    assert weight < 300_000, weight
