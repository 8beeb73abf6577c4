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
from tests.fixtures.documents import PHOTO
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

    from tests.fixtures.studio import page_until

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
    page_until(page, "document.querySelector('.studio').getAttribute('aria-busy')")
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


WORDS = {
    "vi": {"locale": "vi-VN", "edit": "Di chuyển, đổi cỡ hoặc xoay", "says": "ngang"},
    "en": {"locale": "en-US", "edit": "Move, resize or turn", "says": "across"},
}


def preview_selection(page) -> dict:
    """The selection the preview picture shows (its URL carries it)."""
    import base64
    import json
    from urllib.parse import parse_qs, urlsplit

    token = parse_qs(urlsplit(page.locator("#preview").get_attribute("src")).query)["s"][0]
    return json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))


def preview_placement(page) -> dict:
    """The placement the preview picture shows."""
    return preview_selection(page).get("@placement", {}).get("photo", {})


# The share of the preview's pixels within ``within`` of a colour, channel by channel, once
# the picture has loaded (same origin: the canvas may be read).
SHARE = """async ([r, g, b, within]) => {
  const image = document.getElementById('preview');
  if (!image.complete) {
    await new Promise((done) => image.addEventListener('load', done, {once: true}));
  }
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth; canvas.height = image.naturalHeight;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let count = 0;
  for (let i = 0; i < data.length; i += 4) {
    const far = Math.max(
      Math.abs(data[i] - r), Math.abs(data[i + 1] - g), Math.abs(data[i + 2] - b));
    if (far <= within) count++;
  }
  return count / (canvas.width * canvas.height);
}"""


def preview_share(page, colour: tuple[int, int, int], within: int) -> float:
    """The share of the preview picture's pixels of about ``colour``."""
    return page.evaluate(SHARE, [*colour, within])


def placed(page, check) -> dict:
    """The preview's placement once ``check`` holds for it (the studio sends a placement a
    moment after the last key or drag, then draws the answer)."""
    for _ in range(100):
        settled(page)
        found = preview_placement(page)
        if check(found):
            return found
        page.wait_for_timeout(100)
    return preview_placement(page)


def red_picture() -> bytes:
    return png(1600, 1200, (220, 0, 0))  # the demo tote takes 1200 pixels and more


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_picture_is_placed_by_keyboard_and_by_dragging_and_the_order_keeps_it(
    page_for, live_server, viewport, language
):
    from django.core.management import call_command
    from playwright.sync_api import expect

    from tests.fixtures.studio import page_until, studio_step_to

    call_command("demo", "--noserve", verbosity=0)
    words = WORDS[language]
    page = page_for(locale=words["locale"], viewport=viewport)
    page.goto("/studio/TOTE-01/")
    studio_step_to(page, "#photo--file--label")
    page.locator("#photo--file").set_input_files(
        files=[{"name": "red.png", "mimeType": "image/png", "buffer": red_picture()}]
    )
    repair = page.locator("#photo--repair")  # the picture needs the "Your photo" design
    repair.wait_for(state="visible")
    repair.click()
    settled(page)
    frame = page.locator("#placer-frame")
    expect(frame).to_be_visible()
    assert preview_placement(page) == {}
    # The keyboard: focus the frame from its button, then arrows, - and ].
    page.locator("#photo--place-edit").click()
    expect(frame).to_be_focused()
    focus = frame.evaluate("e => getComputedStyle(e).outlineStyle")
    assert focus != "none"
    for key in ["-", "-", "-", "-", "ArrowLeft", "ArrowLeft", "ArrowLeft", "ArrowUp", "]"]:
        page.keyboard.press(key)
    expect(page.locator("#placer-live")).to_contain_text(words["says"])
    expect(page.locator("#preview")).to_have_attribute("src", re.compile("s="))
    by_keys = placed(page, lambda p: p.get("rotation") == 5.0)
    assert by_keys == {"x": 0.47, "y": 0.49, "scale": 0.8, "rotation": 5.0}
    page_until(
        page,
        "document.getElementById('preview').complete"
        " && document.getElementById('preview').naturalWidth > 0",
    )
    page.wait_for_timeout(300)
    shot(page, f"studio-place-{'phone' if viewport is PHONE else 'desktop'}-{language}.png")
    # Dragging: the frame moves right by a tenth of the area's width.
    area = page.locator("#placer").bounding_box()
    box = frame.bounding_box()
    assert area and box
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(*centre)
    page.mouse.down()
    page.mouse.move(centre[0] + area["width"] / 10, centre[1], steps=5)
    page.mouse.up()
    dragged = placed(page, lambda p: p.get("x", 0) > by_keys["x"] + 0.05)
    assert abs(dragged["x"] - (by_keys["x"] + 0.1)) < 0.02
    assert (dragged["y"], dragged["scale"], dragged["rotation"]) == (0.49, 0.8, 5.0)
    # The corner handle: dragged towards the centre, the picture gets smaller.
    handle = page.locator("#placer-scale").bounding_box()
    box = frame.bounding_box()
    assert handle and box
    start = (handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move((start[0] + centre[0]) / 2, (start[1] + centre[1]) / 2, steps=5)
    page.mouse.up()
    scaled = placed(page, lambda p: p.get("scale", 1) < 0.6)
    assert 0.3 < scaled["scale"] < 0.5
    # The preview picture shows it: the red picture's bounding box on the image shrank.
    red = preview_share(page, (220, 0, 0), 40)
    # The print area is 400 × 300 of 1024 × 1024 (11.4% of the picture); at about half its
    # size the picture covers about a quarter of that.
    assert 0.015 < red < 0.06
    # Reset: back in the middle, as large as fits.
    page.locator("#photo--place-reset").click()
    assert placed(page, lambda p: p == {}) == {}
    page.locator("#photo--place-edit").click()
    expect(frame).to_be_focused()
    for key in ["-", "-", "-", "-", "ArrowRight"]:
        page.keyboard.press(key)
    kept = placed(page, lambda p: p.get("x") == 0.51)
    assert kept == {"x": 0.51, "y": 0.5, "scale": 0.8, "rotation": 0.0}
    page.locator("#add-to-cart").click()
    page.wait_for_url("**/cart/")
    assert CartLine.objects.get().selection["@placement"] == {"photo": kept}


def shot(page, name: str) -> None:
    if KEEP_SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name))
