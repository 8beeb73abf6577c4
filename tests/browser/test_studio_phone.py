"""The studio in a phone's hand (390×844) and on a desktop (1366×900), in Vietnamese and
English; and the studio with JavaScript off: choose, update, repair, add to cart.

"Nothing drawn over anything" is checked with ``elementFromPoint`` at the centre of every
visible control: the point must hit the control or something inside it. A control whose
centre has scrolled beneath the sticky preview or the bottom bar is out of view, as one
scrolled off the screen is, and is not asked; the preview's and the bar's own controls are.
"""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path

import pytest

from catalog.services import option_set_import
from configurator.compilation.selectors import engine_cache
from configurator.orders.models import CartLine
from tests.fixtures.documents import PHOTO, TOTE
from tests.fixtures.pictures import png

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
KEEP_SHOTS = os.environ.get("STUDIO_PHONE_SHOTS")  # set: the tests refresh docs/screenshots

WORDS = {
    "vi": {
        "locale": "vi-VN",
        "steps": ["Bước 1/4 · Chất liệu", "Bước 2/4 · Màu", "Bước 3/4 · Chữ thêu"],
        "summary": "Bước 4/4 · Xem lại",
        "next": "Tiếp",
        "back": "Quay lại",
        "cart": "Thêm vào giỏ",
        "brown": "Nâu",
        "suede": "Da lộn",
        "total": "350.000\xa0₫",
        "brown_suede": "500.000\xa0₫",
        "rows": ["Chất liệu Da lộn", "Màu Nâu", "Chữ thêu Không"],
        "choose": "Chọn ảnh",
        "nothing": "Chưa chọn ảnh",
        "uploaded": "Đã tải ảnh lên",
    },
    "en": {
        "locale": "en-US",
        "steps": ["Step 1/4 · Material", "Step 2/4 · Colour", "Step 3/4 · Monogram"],
        "summary": "Step 4/4 · Review",
        "next": "Next",
        "back": "Previous",
        "cart": "Add to cart",
        "brown": "Brown",
        "suede": "Suede",
        "total": "₫350,000",
        "brown_suede": "₫500,000",
        "rows": ["Material Suede", "Colour Brown", "Monogram None"],
        "choose": "Choose a picture",
        "nothing": "No picture chosen",
        "uploaded": "Picture uploaded",
    },
}

COVERED = """() => {
  const box = document.getElementById('preview-box').getBoundingClientRect();
  const bar = document.getElementById('bar').getBoundingClientRect();
  const chrome = [document.getElementById('preview-box'), document.getElementById('bar')];
  const out = [];
  const controls = document.querySelectorAll(
    '.studio a, .studio button, .studio input, .studio label.value, .studio label.button');
  for (const el of controls) {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) continue;  // not shown, or visually hidden
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (x < 0 || x > innerWidth || y < 0 || y > innerHeight) continue;
    const inChrome = chrome.some((c) => c.contains(el));
    // Beneath the preview or the bar (scrolled under them); within a pixel of their edge
    // counts as beneath: elementFromPoint rounds to whole pixels.
    if (!inChrome && (y < box.bottom + 1 || y > bar.top - 1)) continue;
    const hit = document.elementFromPoint(x, y);
    if (!(hit === el || el.contains(hit))) {
      out.push((el.id || el.className) + ' under ' + (hit ? hit.id || hit.className : 'nothing'));
    }
  }
  return out;
}"""

SMALL = """() => [...document.querySelectorAll(
    '.studio button, .studio input[type=text], .studio label.value, .studio label.button,'
    + ' #preview-zoom')]
  .filter((el) => { const r = el.getBoundingClientRect(); return r.width >= 2 && r.height >= 2; })
  .filter((el) => { const r = el.getBoundingClientRect(); return r.width < 44 || r.height < 44; })
  .map((el) => el.id || el.className)"""


def publish(document):
    engine_cache.clear()
    return option_set_import(document=copy.deepcopy(document), publish=True)


def refusals(page) -> list[str]:
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return refused


def shot(page, name: str) -> None:
    if KEEP_SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name))


def nothing_covered_while_scrolling(page) -> None:
    height = page.evaluate("document.documentElement.scrollHeight - innerHeight")
    for y in sorted({0, 120, 300, max(height // 2, 0), max(height, 0)}):
        page.evaluate(f"window.scrollTo(0, {y})")
        assert (y, page.evaluate(COVERED)) == (y, [])
        assert (y, page.evaluate(SMALL)) == (y, [])
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.evaluate("window.scrollTo(0, 0)")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_phone_shows_steps_a_compact_preview_and_a_bar_with_the_price(
    page_for, live_server, language
):
    from playwright.sync_api import expect

    words = WORDS[language]
    publish(TOTE)
    page = page_for(locale=words["locale"], viewport=PHONE)
    refused = refusals(page)
    page.goto("/studio/TOTE-01/")
    title = page.locator(".step--current .step__title")
    expect(title).to_have_text(words["steps"][0])
    # One step at a time: the colours wait for the next step.
    expect(page.locator("#group-material")).to_be_visible()
    expect(page.locator("#group-color")).to_be_hidden()
    back, forward = page.locator("#step-back"), page.locator("#step-next")
    expect(back).to_be_hidden()
    expect(forward).to_have_text(words["next"])
    # The preview stays compact (at most 40% of the height) and the bar shows the price.
    preview = page.locator("#preview-box").bounding_box()
    assert preview is not None and preview["height"] <= 0.4 * PHONE["height"]
    bar = page.locator("#bar")
    expect(bar).to_be_visible()
    expect(page.locator("#price-total")).to_have_text(words["total"])
    expect(page.get_by_role("button", name=words["cart"])).to_be_visible()
    bottom = bar.bounding_box()
    assert bottom is not None and bottom["y"] + bottom["height"] == PHONE["height"]
    nothing_covered_while_scrolling(page)

    page.get_by_label(words["suede"]).check()
    expect(page.locator("#material--suede")).to_be_checked()
    forward.click()
    expect(title).to_have_text(words["steps"][1])
    expect(page.locator("#group-material")).to_be_hidden()
    page.get_by_label(words["brown"]).check()
    expect(page.locator("#price-total")).to_have_text(words["brown_suede"])
    nothing_covered_while_scrolling(page)
    back.click()
    expect(title).to_have_text(words["steps"][0])
    expect(page.locator("#material--suede")).to_be_checked()
    forward.click()
    forward.click()
    expect(title).to_have_text(words["steps"][2])
    expect(page.locator("#monogram--text")).to_be_visible()
    forward.click()
    # The summary before the cart: every choice, the price line by line.
    expect(title).to_have_text(words["summary"])
    expect(forward).to_be_hidden()
    rows = page.locator("#summary .summary__row")
    assert [re.sub(r"\s+", " ", r).strip() for r in rows.all_inner_texts()] == words["rows"]
    expect(page.locator("#price")).to_be_visible()
    nothing_covered_while_scrolling(page)
    shot(page, f"studio-phone-summary-{language}.png")
    # Tap to enlarge, tap again to shrink.
    page.locator("#preview-zoom").click()
    large = page.locator("#preview").bounding_box()
    assert large is not None and large["width"] == PHONE["width"]  # the whole width
    assert large["height"] > preview["height"]
    page.locator("#preview-zoom").click()
    small = page.locator("#preview-box").bounding_box()
    assert small is not None and small["height"] <= 0.4 * PHONE["height"]
    page.get_by_role("button", name=words["cart"]).click()
    page.wait_for_url("**/cart/")
    assert CartLine.objects.get().selection == {"material": "suede", "color": "brown"}
    assert refused == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_desktop_keeps_two_columns_and_every_step(page_for, live_server, language):
    from playwright.sync_api import expect

    words = WORDS[language]
    publish(TOTE)
    page = page_for(locale=words["locale"], viewport=DESKTOP)
    refused = refusals(page)
    page.goto("/studio/TOTE-01/")
    expect(page.locator("#group-monogram")).to_be_visible()
    preview = page.locator("#preview-box").bounding_box()
    steps = page.locator("#steps").bounding_box()
    assert preview is not None and steps is not None
    assert preview["x"] + preview["width"] <= steps["x"]  # side by side
    assert abs(preview["y"] - steps["y"]) < 40
    expect(page.locator("#step-nav")).to_be_hidden()
    for title in words["steps"]:
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    assert refused == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_upload_control_speaks_the_pages_language_and_takes_a_dropped_picture(
    page_for, live_server, language
):
    from playwright.sync_api import expect

    words = WORDS[language]
    publish(PHOTO)
    page = page_for(locale=words["locale"], viewport=PHONE)
    refused = refusals(page)
    page.goto("/studio/TOTE-01/")
    for _ in range(3):
        page.locator("#step-next").click()
    expect(page.locator("#photo--file--label")).to_have_text(words["choose"])
    expect(page.locator("#photo--file--name")).to_have_text(words["nothing"])
    box = page.locator("#photo--file--label").bounding_box()
    assert box is not None and box["height"] >= 44
    nothing_covered_while_scrolling(page)
    shot(page, f"studio-phone-upload-{language}.png")
    # Dropped on the preview: uploaded and applied like a chosen file.
    transfer = page.evaluate_handle(
        """(bytes) => {
          const data = new DataTransfer();
          data.items.add(new File([new Uint8Array(bytes)], 'ảnh-của-tôi.png', {type: 'image/png'}));
          return data;
        }""",
        list(png(400, 300)),
    )
    page.dispatch_event("#preview-box", "drop", {"dataTransfer": transfer})
    expect(page.locator("#photo--file--note")).to_have_text(words["uploaded"])
    expect(page.locator("#photo--file--name")).to_have_text("ảnh-của-tôi.png")
    expect(page.locator("#preview")).to_have_attribute("src", re.compile(r"\?s="))
    # Chosen with the control: its file name is shown.
    page.locator("#photo--file").set_input_files(
        files=[{"name": "holiday.png", "mimeType": "image/png", "buffer": png(300, 300)}]
    )
    expect(page.locator("#photo--file--name")).to_have_text("holiday.png")
    expect(page.locator("#photo--file--note")).to_have_text(words["uploaded"])
    assert refused == []


def test_without_javascript_the_studio_chooses_updates_repairs_and_adds_to_cart(
    browser, live_server
):
    from playwright.sync_api import expect

    publish(TOTE)
    context = browser.new_context(
        java_script_enabled=False, locale="vi-VN", base_url=live_server.url, viewport=PHONE
    )
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/studio/TOTE-01/")
        # Every step is on the page, as a form; the update button is there to press.
        for title in WORDS["vi"]["steps"]:
            expect(page.get_by_role("heading", name=title)).to_be_visible()
        expect(page.locator("#step-nav")).to_be_hidden()
        page.get_by_label("Da lộn").check()
        page.locator("#monogram--text").fill("Ánh")
        page.get_by_role("button", name="Cập nhật").click()
        page.wait_for_url(re.compile(r"/studio/TOTE-01/\?s="))
        expect(page.locator("#material--suede")).to_be_checked()
        expect(page.locator("#monogram--text")).to_have_value("Ánh")
        expect(page.locator("#price-total")).to_have_text("530.000\xa0₫")
        # Navy is ruled out with suede: its reason and its repair, which works without script.
        expect(page.locator("#color--navy--why")).to_have_text("Da lộn chỉ có màu Đen hoặc Nâu")
        page.get_by_role("button", name=re.compile("Chuyển sang.*Vải bố")).first.click()
        expect(page.locator("#color--navy")).to_be_checked()
        expect(page.locator("#material--canvas")).to_be_checked()
        expect(page.locator("#price-total")).to_have_text("380.000\xa0₫")
        # "Show all" opens the rest of the colours.
        page.locator("#color--more").click()
        expect(page.locator("#color--red")).to_be_visible()
        page.get_by_label("Đỏ").check()
        page.get_by_role("button", name="Thêm vào giỏ").click()
        page.wait_for_url("**/cart/")
        line = CartLine.objects.get()
        assert line.selection == {"material": "canvas", "color": "red", "monogram": "Ánh"}
        assert str(line.unit_price) == "380000.00"
    finally:
        context.close()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_demo_studio_steps_through_a_phone_and_keeps_two_columns_on_a_desktop(
    browser, live_server, language
):
    from django.core.management import call_command

    call_command("demo", "--noserve", verbosity=0)
    locale = WORDS[language]["locale"]
    for viewport, kind in ((PHONE, "phone"), (DESKTOP, "desktop")):
        context = browser.new_context(locale=locale, base_url=live_server.url, viewport=viewport)
        try:
            page = context.new_page()
            page.set_default_timeout(15_000)
            refused = refusals(page)
            for sku in ("SNEAKER-01", "TOTE-01", "MUG-01", "BANNER-01"):
                page.goto(f"/studio/{sku}/")
                page.wait_for_load_state("networkidle")  # the preview drawn, for the shots
                if kind == "desktop":
                    preview = page.locator("#preview-box").bounding_box()
                    steps = page.locator("#steps").bounding_box()
                    assert preview and steps and preview["x"] + preview["width"] <= steps["x"]
                    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
                    if sku == "SNEAKER-01":
                        shot(page, f"studio-desktop-{language}.png")
                    continue
                total = page.locator("#groups > .step").count() + 1
                for number in range(1, total + 1):
                    box = page.locator("#preview-box").bounding_box()
                    assert box and box["height"] <= 0.4 * PHONE["height"], (sku, number)
                    assert page.locator(".studio").get_attribute("data-step") == str(number)
                    nothing_covered_while_scrolling(page)
                    if sku == "SNEAKER-01" and number in (1, total):
                        shot(page, f"studio-phone-{language}-{number}.png")
                    if sku == "SNEAKER-01" and number == 2:  # scrolled: the preview stays
                        page.evaluate("window.scrollTo(0, 400)")
                        shot(page, f"studio-phone-{language}-scrolled.png")
                        page.evaluate("window.scrollTo(0, 0)")
                    if number < total:
                        page.locator("#step-next").click()
            assert refused == []
        finally:
            context.close()
