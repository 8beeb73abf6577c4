"""More than one view in a shopper's hand: the demo tote's front and back, switched by tabs
with thumbnails, and the enlarged preview zoomed; at 390×844 and 1366×900, in Vietnamese and
English, and with JavaScript off."""

from __future__ import annotations

import pytest

from tests.browser.test_studio_phone import (
    DESKTOP,
    PHONE,
    nothing_covered_while_scrolling,
    refusals,
    shot,
)

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "vi": {"locale": "vi-VN", "views": ["Mặt trước", "Mặt sau"], "in": "Phóng to"},
    "en": {"locale": "en-US", "views": ["Front", "Back"], "in": "Zoom in"},
}

# A digest of the preview's pixels (same origin: the canvas may be read).
PIXELS = """async () => {
  const img = document.getElementById('preview');
  if (!img.complete || !img.naturalWidth) {
    await new Promise((ok) => img.addEventListener('load', ok, {once: true}));
  }
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 64;
  const context = canvas.getContext('2d');
  context.drawImage(img, 0, 0, 64, 64);
  return Array.from(context.getImageData(0, 0, 64, 64).data);
}"""


# Two fingers on the enlarged preview, moved apart from 100 to 200 pixels.
PINCH = """() => {
  const frame = document.getElementById('preview-zoom');
  const r = frame.getBoundingClientRect();
  const y = r.top + r.height / 2, x = r.left + r.width / 2;
  const send = (type, id, dx) => frame.dispatchEvent(new PointerEvent(type, {
    pointerId: id, pointerType: 'touch', clientX: x + dx, clientY: y, bubbles: true,
    cancelable: true}));
  send('pointerdown', 1, -50); send('pointerdown', 2, 50);
  send('pointermove', 1, -75); send('pointermove', 2, 75);
  send('pointermove', 1, -100); send('pointermove', 2, 100);
  send('pointerup', 1, -100); send('pointerup', 2, 100);
}"""


@pytest.fixture
def demo():
    from django.core.management import call_command

    call_command("demo", "--noserve", verbosity=0)


def _pressed(page) -> list[str]:
    return page.locator('#views .views__tab[aria-pressed="true"] .views__name').all_inner_texts()


def _switch_and_zoom(page, language: str, viewport: dict) -> None:
    words = WORDS[language]
    page.goto("/studio/TOTE-01/")
    page.wait_for_load_state("networkidle")
    assert page.locator("#views .views__name").all_inner_texts() == words["views"]
    assert _pressed(page) == [words["views"][0]]
    assert "&v=" not in (page.locator("#preview").get_attribute("src") or "")
    front = page.evaluate(PIXELS)

    page.locator('#views .views__tab[data-view="back"]').click()

    assert _pressed(page) == [words["views"][1]]
    assert (page.locator("#preview").get_attribute("src") or "").endswith("&v=back")
    assert page.url.endswith("view=back")
    page.wait_for_load_state("networkidle")
    back = page.evaluate(PIXELS)
    assert back != front
    for thumb in page.locator("#views .views__thumb").all():
        assert thumb.evaluate("(img) => img.complete && img.naturalWidth") == 512
    for tab in page.locator("#views .views__tab").all():
        box = tab.bounding_box()
        assert box and box["height"] >= 44 and box["width"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    if viewport is DESKTOP and language == "en":
        shot(page, "studio-views-desktop-en.png")
    if viewport is PHONE:
        box = page.locator("#preview-box").bounding_box()
        assert box and box["height"] <= 0.4 * PHONE["height"]
        nothing_covered_while_scrolling(page)
        shot(page, f"studio-views-phone-{language}.png")
        assert not page.locator("#zoom-in").is_visible()  # compact: tap to enlarge first
        compact = page.locator("#preview").bounding_box()
        page.locator("#preview-zoom").click()
        large = page.locator("#preview").bounding_box()
        assert compact and large and large["width"] >= PHONE["width"] - 2 > compact["width"]
    assert page.get_by_role("button", name=words["in"]).is_visible()
    frame = page.locator("#preview-zoom")
    width = page.locator("#preview").bounding_box()["width"]
    below = page.locator("#views").bounding_box()

    page.locator("#zoom-in").click()
    page.locator("#zoom-in").click()

    assert page.locator("#zoom-level").inner_text() == "200%"
    assert page.locator("#preview").bounding_box()["width"] == pytest.approx(2 * width, abs=2)
    assert frame.evaluate("(f) => f.scrollWidth > f.clientWidth")
    after = page.locator("#views").bounding_box()  # the picture grows in its place
    assert after and below and after["y"] == pytest.approx(below["y"], abs=1)
    assert "/1024.webp" in (page.locator("#preview").get_attribute("src") or "")
    assert (page.locator("#preview").get_attribute("src") or "").endswith("&v=back")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    for button in ("#zoom-in", "#zoom-out"):
        box = page.locator(button).bounding_box()
        assert box and box["height"] >= 44 and box["width"] >= 44
    page.wait_for_load_state("networkidle")
    if language == "en" and viewport is PHONE:
        shot(page, "studio-views-phone-en-zoom.png")

    page.locator("#zoom-out").click()
    page.locator("#zoom-out").click()
    assert page.locator("#zoom-level").inner_text() == "100%"
    assert page.locator("#zoom-out").is_disabled()

    if viewport is PHONE:  # two fingers spread to twice their distance: 200%
        page.evaluate(PINCH)
        assert page.locator("#zoom-level").inner_text() == "200%"
        page.locator("#zoom-out").click()
        page.locator("#zoom-out").click()
        assert page.locator("#zoom-level").inner_text() == "100%"

    page.reload()  # the page's URL keeps the view
    assert _pressed(page) == [words["views"][1]]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_views_switch_and_the_preview_zooms_on_a_phone_and_a_desktop(
    browser, live_server, demo, language
):
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(
            locale=WORDS[language]["locale"], base_url=live_server.url, viewport=viewport
        )
        try:
            page = context.new_page()
            page.set_default_timeout(15_000)
            refused = refusals(page)
            _switch_and_zoom(page, language, viewport)
            assert refused == []
        finally:
            context.close()


def test_without_javascript_a_view_tab_shows_that_view(browser, live_server, demo):
    context = browser.new_context(
        locale="vi-VN", base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/studio/TOTE-01/")
        page.get_by_role("button", name="Mặt sau").click()
        page.wait_for_load_state()
        assert "view=back" in page.url
        assert _pressed(page) == ["Mặt sau"]
        assert (page.locator("#preview").get_attribute("src") or "").endswith("&v=back")
        page.get_by_role("button", name="Mặt trước").click()
        page.wait_for_load_state()
        assert _pressed(page) == ["Mặt trước"]
        assert "&v=" not in (page.locator("#preview").get_attribute("src") or "")
    finally:
        context.close()
