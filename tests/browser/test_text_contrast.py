"""On a phone, ink text typed on the black tote is said to be hard to read, and one tap
makes it white: the warning goes, the text stays, the price and preview follow."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from configurator.configuring.previews import decode_selection

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
KEEP_SHOTS = os.environ.get("STUDIO_PHONE_SHOTS")  # set: the tests refresh docs/screenshots
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.mark.parametrize(
    ("language", "locale", "warning", "label"),
    [
        (
            "vi",
            "vi-VN",
            "Chữ Mực đen khó đọc trên nền Đen (độ tương phản 1,0:1; nên từ 3:1).",
            "Dùng chữ Trắng",
        ),
        (
            "en",
            "en-US",
            "Ink black text is hard to read on Black (contrast 1.0:1; 3:1 or more reads well).",
            "Use White text",
        ),
    ],
)
def test_a_text_that_would_not_read_is_said_and_fixed_in_one_tap(
    page_for, live_server, language, locale, warning, label
):
    from django.core.management import call_command
    from playwright.sync_api import expect

    from tests.fixtures.studio import studio_step_to

    call_command("demo", "--noserve", verbosity=0)
    page = page_for(locale=locale, viewport=PHONE)
    page.goto("/studio/TOTE-01/")
    studio_step_to(page, "#color--black")
    page.locator("label[for='color--black']").click()
    expect(page.locator("#color--black")).to_be_checked()
    studio_step_to(page, "#text--text")
    page.locator("#text--text").press_sequentially("Lan", delay=30)
    note = page.locator("#text--contrast")
    expect(note).to_have_text(warning)
    button = page.locator("#text--contrast-repair")
    expect(button).to_have_text(label)
    if KEEP_SHOTS:  # the warning as a shopper sees it, for docs/studio.md
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"studio-text-contrast-phone-{language}.png"))
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44  # a tap target
    button.click()
    expect(page.locator("#text_color--white")).to_be_checked()
    expect(note).to_have_count(0)
    expect(page.locator("#text--text")).to_have_value("Lan")
    # The preview follows: its URL carries the selection with the white text.
    expect(page.locator("#preview")).to_have_attribute("src", re.compile(r"[?&]s="))
    src = page.locator("#preview").get_attribute("src") or ""
    selection = decode_selection(parse_qs(urlsplit(src).query)["s"][0])
    assert (selection["text_color"], selection["text"]) == ("white", "Lan")
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"]
