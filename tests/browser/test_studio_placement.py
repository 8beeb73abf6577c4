"""The shopper's picture placed in the print area: by keyboard, by dragging, by its handles;
the preview follows, the cart and the order keep it. And a picture chosen while an answer
redraws the studio is still uploaded (the file input is kept across redraws)."""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path

import pytest

from catalog.services import option_set_import
from configurator.compilation.selectors import engine_cache
from configurator.designs.models import Upload
from configurator.orders.models import CartLine
from tests.fixtures.documents import PHOTO, PRINTED
from tests.fixtures.pictures import png

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
KEEP_SHOTS = os.environ.get("STUDIO_PHONE_SHOTS")  # set: the tests refresh docs/screenshots


def publish(document):
    engine_cache.clear()
    return option_set_import(document=copy.deepcopy(document), publish=True)


def settled(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator(".studio")).not_to_have_attribute("aria-busy", "true")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_picture_chosen_while_an_answer_redraws_the_studio_is_uploaded(
    page_for, live_server, viewport
):
    from playwright.sync_api import expect

    publish(PHOTO)
    page = page_for(locale="vi-VN", viewport=viewport)
    page.goto("/studio/TOTE-01/")
    held: list = []
    holding = [True]

    def hold(route):
        if holding[0]:
            held.append(route)
        else:
            route.continue_()

    page.route("**/evaluate/", hold)
    phone = page.locator("#step-nav").is_visible()
    if phone:
        page.locator("#step-next").click()
    page.locator("label[for=color--brown]").click()  # an answer is on its way, held
    page.wait_for_function("document.querySelector('.studio').getAttribute('aria-busy')")
    while not held:
        page.wait_for_timeout(20)
    if phone:  # walk on to the picture's step
        for _ in range(2):
            page.locator("#step-next").click()
    with page.expect_file_chooser() as chosen:
        page.locator("#photo--file--label").click()
    page.evaluate("document.getElementById('group-photo').dataset.before = 'yes'")
    holding[0] = False
    for route in held:
        route.continue_()
    settled(page)  # the answer has redrawn the studio while the chooser was open
    expect(page.locator("#group-photo")).not_to_have_attribute("data-before", "yes")  # redrawn
    chosen.value.set_files(
        files=[{"name": "ảnh.png", "mimeType": "image/png", "buffer": png(400, 300)}]
    )
    expect(page.locator("#photo--file--note")).to_have_text("Đã tải ảnh lên")
    assert Upload.objects.count() == 1
