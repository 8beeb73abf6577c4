"""At a phone's width nothing is wider than the screen (the studio was 32 px too wide)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("locale", ["vi-VN", "en-US"])
def test_every_demo_studio_fits_a_phone(page_for, locale):
    call_command("demo", "--noserve", verbosity=0)
    page = page_for(locale=locale, viewport=PHONE)
    for sku in ("SNEAKER-01", "TOTE-01", "MUG-01", "BANNER-01"):
        page.goto(f"/studio/{sku}/")
        page.locator(".value").first.wait_for()
        width = page.evaluate("document.documentElement.scrollWidth")
        wider = page.evaluate(
            "[...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)"
            ".map(e => e.tagName + '.' + e.className)"
        )
        assert (sku, width, wider) == (sku, 390, [])
