"""Each demo product designed, bought and confirmed as a shopper would: at 390×844 and at
1366×900, in Vietnamese and in English.

A journey walks the steps (next and back on a phone), meets a ruled-out value and takes its
repair (also one behind "Show all" where the product has one), uploads, places and scales a
picture by keyboard and shows the second view (the tote), types a text (the sneaker's in
the thread colour and lettering the shopper chooses, seen in the preview), switches language
in the middle and back (the design kept), then checks the cart (value names in the page's
language, a thumbnail), the checkout with a Vietnamese address, and the order page. On every
page: no horizontal scroll, and nothing drawn over anything at several scroll positions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from configurator.orders.models import Order
from tests.browser.test_checkout_labels_journey import thumbnails_loaded
from tests.browser.test_studio_phone import (
    DESKTOP,
    PHONE,
    SMALL,
    refusals,
)
from tests.browser.test_studio_placement import (
    placed,
    preview_selection,
    preview_share,
    red_picture,
    settled,
)
from tests.fixtures.studio import studio_step_to

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCALES = {"vi": "vi-VN", "en": "en-US"}
OTHER = {"vi": "en", "en": "vi"}
WORDS = {
    "vi": {
        "next": "Tiếp",
        "back": "Quay lại",
        "change": "Đổi",
        "cart": "Thêm vào giỏ",
        "checkout": "Thanh toán",
        "fields": ["Họ và tên", "Số điện thoại", "Email", "Tỉnh/Thành phố", "Phường/xã"],
        "street": "Số nhà, tên đường",
        "place": "Đặt hàng",
    },
    "en": {
        "next": "Next",
        "back": "Previous",
        "change": "Change",
        "cart": "Add to cart",
        "checkout": "Check out",
        "fields": ["Full name", "Phone", "Email", "Province or city", "Ward or commune"],
        "street": "House number and street",
        "place": "Place order",
    },
}

# Whatever is drawn at a control's centre must be the control or inside it. A control
# beneath a pinned element (the sticky preview, the phone's bottom bar) is scrolled under it
# and out of view, unless the page cannot scroll it out from under: then it is covered. A
# control clipped by a scrolling box (the view tabs' strip) is out of that box's view.
COVERED = """() => {
  const pinned = (e) => {
    for (; e; e = e.parentElement) {
      const p = getComputedStyle(e).position;
      if (p === 'fixed' || p === 'sticky') return e;
    }
    return null;
  };
  const clipped = (el, x, y) => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const r = e.getBoundingClientRect();
      if (x < r.left || x > r.right || y < r.top || y > r.bottom) return true;
    }
    return false;
  };
  const name = (e) => e ? (e.tagName + (e.id ? '#' + e.id : '') +
    (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ')[0] : ''))
    : 'nothing';
  const last = document.scrollingElement.scrollHeight - innerHeight;
  const out = [];
  const shown = document.querySelectorAll(
    'a, button, input, select, textarea, label, img, h1, h2, .why, .field-error, .field-note,'
    + ' .price__total, .line__price, .total');
  for (const el of shown) {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) continue;  // not shown, or visually hidden
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (x < 0 || x >= innerWidth || y < 0 || y >= innerHeight || clipped(el, x, y)) continue;
    const hit = document.elementFromPoint(x, y);
    if (hit && (hit === el || el.contains(hit))) continue;
    // The placer's frame and handles are drawn on the preview picture, on purpose.
    if (hit && hit.closest('#placer') && el.closest('#preview-zoom')) continue;
    const over = hit && pinned(hit);
    if (over && !over.contains(el)) {
      const top = over.getBoundingClientRect().top < innerHeight / 2;
      if (top ? scrollY > 0 : scrollY < last - 1) continue;  // scrolled under it
    }
    out.push(name(el) + ' under ' + name(hit));
  }
  return out;
}"""


def on_screen(page) -> None:
    """No horizontal scroll and nothing drawn over anything, at the top, a little down, the
    middle and the bottom of the page; in a phone's studio, tap targets of 44 px too."""
    small = is_phone(page) and page.locator(".studio").count() > 0
    height = page.evaluate("document.scrollingElement.scrollHeight - innerHeight")
    for y in sorted({0, 150, max(height // 2, 0), max(height, 0)}):
        page.evaluate(f"window.scrollTo(0, {y})")
        wide = page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
        assert (y, wide, page.evaluate(COVERED)) == (y, True, [])
        if small:
            assert (y, page.evaluate(SMALL)) == (y, [])
    page.evaluate("window.scrollTo(0, 0)")


def is_phone(page) -> bool:
    return page.viewport_size["width"] == PHONE["width"]


def choose(page, value_id: str) -> None:
    """Tick a value (on a phone, from its step) and wait for the studio's answer: the
    preview shows it."""
    from playwright.sync_api import expect

    studio_step_to(page, f"#{value_id}")
    page.locator(f"label[for='{value_id}']").click()
    expect(page.locator(f"#{value_id}")).to_be_checked()
    group, value = value_id.split("--")
    for _ in range(100):
        settled(page)
        shown = preview_selection(page).get(group)
        if value in (shown if isinstance(shown, list) else [shown]):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"the preview never showed {value_id}")


def type_into(page, field: str, text: str, shown: str | None = "") -> None:
    """Type ``text`` and wait until the studio applied it: the summary says it as ``shown``
    (a number with its unit; the text itself in quotes by default; None: a refusal is
    expected)."""
    from playwright.sync_api import expect

    studio_step_to(page, field)
    page.locator(field).fill(text)
    page.locator(field).press("Tab")  # a number is sent when the field is left
    if shown is not None:
        said = re.compile(f"^{re.escape(shown or f'“{text}”')}$")
        expect(page.locator("#summary dd").filter(has_text=said)).to_have_count(1)
    settled(page)


def show_all(page, group: str, label: str, behind: str) -> None:
    """Open the group's "Show all" (said as ``label``), behind which ``behind`` waits."""
    from playwright.sync_api import expect

    more = page.locator(f"#{group}--more")
    studio_step_to(page, f"#{group}--more")
    expect(page.locator(f"#{behind}")).to_have_count(0)
    expect(more).to_have_text(label)
    more.click()
    expect(more).to_have_attribute("aria-expanded", "true")
    expect(page.locator(f"#{behind}")).to_be_visible()
    settled(page)


def total(page, amount: str) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#price-total")).to_have_text(amount)


def ruled_out(page, value_id: str, reason: str, *, why: str | None = None) -> None:
    """``value_id`` is offered but ruled out, with ``reason`` said beside it (``why``: the
    id of a reason said once for several values)."""
    from playwright.sync_api import expect

    studio_step_to(page, f"#{value_id}")
    expect(page.locator(f"#{value_id}")).to_have_attribute("aria-disabled", "true")
    expect(page.locator(f"#{why or value_id + '--why'}")).to_have_text(reason)


# Each product's design: what it offers, in the page's language. ---------------------------


def sneaker(page, language: str) -> None:
    t: dict[str, Any] = {
        "vi": {
            "reason": "Da lộn chỉ có màu Đen, Nâu hoặc Cát",
            "to_black": "Chuyển sang (đổi Màu: Đen)",
            "more": "Xem tất cả (thêm 3)",
            "shared": "Trắng, Xanh đen, Đỏ son, Xanh ô liu, Hồng sen: "
            "Da lộn chỉ có màu Đen, Nâu hoặc Cát",
            "to_canvas": "Chuyển sang (đổi Chất liệu: Vải bố)",
            "prices": ["1.690.000\xa0₫", "1.290.000\xa0₫", "1.340.000\xa0₫", "1.385.000\xa0₫"],
        },
        "en": {
            "reason": "Suede comes only in Black, Brown or Sand",
            "to_black": "Switch to it (changes Colour: Black)",
            "more": "Show all (3 more)",
            "shared": "White, Navy, Lacquer red, Olive, Lotus pink: "
            "Suede comes only in Black, Brown or Sand",
            "to_canvas": "Switch to it (changes Material: Canvas)",
            "prices": ["₫1,690,000", "₫1,290,000", "₫1,340,000", "₫1,385,000"],
        },
    }[language]
    ruled_out(page, "material--suede", t["reason"])  # on white, the default
    value_repair(page, "material--suede", t["to_black"])
    assert checked(page, "material", "color") == ["material--suede", "color--black"]
    total(page, t["prices"][0])
    show_all(
        page, "color", t["more"], "color--pink"
    )  # pink is behind "Show all", ruled out on suede
    ruled_out(page, "color--pink", t["shared"], why="color--why-1")
    value_repair(page, "color--pink", t["to_canvas"])
    assert checked(page, "material", "color") == ["material--canvas", "color--pink"]
    total(page, t["prices"][1])
    choose(page, "design--stripe")
    total(page, t["prices"][2])
    type_into(page, "#monogram--text", "Ánh")
    total(page, t["prices"][3])
    # The monogram's thread colour and lettering, from the merchant's lists: the preview
    # draws it in jade once jade is chosen, with more ink in the bold cut.
    assert preview_share(page, JADE, 30) == 0  # gold, the layer's own, until a thread is chosen
    choose(page, "thread--jade")
    regular = preview_share(page, JADE, 30)
    choose(page, "lettering--bold")
    bold = preview_share(page, JADE, 30)
    assert regular > 0.0001 and bold > 1.15 * regular, (regular, bold)
    total(page, t["prices"][3])  # free choices


JADE = (0x00, 0xA3, 0x89)


def tote(page, language: str) -> None:
    from playwright.sync_api import expect

    t: dict[str, Any] = {
        "vi": {
            "more": "Xem tất cả (thêm 1)",
            "shared": "Đen, Xanh đen, Vàng nghệ: Vải lanh chỉ có màu Mộc, Ô liu hoặc Đất nung",
            "to_canvas": "Chuyển sang (đổi Chất liệu: Vải bố)",
            "needs": "Ảnh tải lên chỉ in được với mẫu “Ảnh của bạn”. "
            "Hãy đổi Hoa văn: “Ảnh của bạn” để dùng được.",
            "to_photo": "Chuyển sang (đổi Hoa văn: Ảnh của bạn)",
            "soft": "Ảnh in ra khoảng 203 DPI; để đạt 300 DPI cần 2362×1772 điểm ảnh. "
            "Bản in có thể hơi nhòe.",
            "smaller": "Ảnh in ra khoảng 226 DPI; để đạt 300 DPI cần 2126×1594 điểm ảnh. "
            "Bản in có thể hơi nhòe.",
            "views": ["Mặt trước", "Mặt sau"],
            "prices": ["400.000\xa0₫", "350.000\xa0₫", "410.000\xa0₫", "425.000\xa0₫"],
        },
        "en": {
            "more": "Show all (1 more)",
            "shared": "Black, Navy, Turmeric: Linen comes only in Natural, Olive or Terracotta",
            "to_canvas": "Switch to it (changes Material: Canvas)",
            "needs": "An uploaded picture prints only with “Your photo”. "
            "Change Pattern: “Your photo” to use it.",
            "to_photo": "Switch to it (changes Pattern: Your photo)",
            "soft": "The picture prints at about 203 DPI; 300 DPI needs 2362×1772 pixels. "
            "It may look soft.",
            "smaller": "The picture prints at about 226 DPI; 300 DPI needs 2126×1594 pixels. "
            "It may look soft.",
            "views": ["Front", "Back"],
            "prices": ["₫400,000", "₫350,000", "₫410,000", "₫425,000"],
        },
    }[language]
    choose(page, "material--linen")
    total(page, t["prices"][0])
    show_all(
        page, "color", t["more"], "color--mustard"
    )  # turmeric is behind "Show all", ruled out on linen
    ruled_out(page, "color--black", t["shared"], why="color--why-1")
    ruled_out(page, "color--mustard", t["shared"], why="color--why-1")
    value_repair(page, "color--mustard", t["to_canvas"])
    assert checked(page, "material", "color") == ["material--canvas", "color--mustard"]
    total(page, t["prices"][1])
    # A picture on the plain pattern: said before anything is applied, with its repair.
    studio_step_to(page, "#photo--file--label")
    page.locator("#photo--file").set_input_files(
        files=[{"name": "red.png", "mimeType": "image/png", "buffer": red_picture()}]
    )
    note = page.locator("#photo--file--note")
    expect(note).to_have_text(t["needs"], timeout=20_000)
    expect(page.locator("#photo--repair")).to_have_text(t["to_photo"])
    page.locator("#photo--repair").click()
    settled(page)
    # 1600 pixels across 200 mm: about 203 DPI, said as a warning, not a refusal.
    expect(note).to_have_text(t["soft"])
    expect(page.locator("#photo--file--name")).to_have_text("red.png")
    assert checked(page, "design") == ["design--photo"]
    total(page, t["prices"][2])
    # Placed and scaled by keyboard: smaller twice, a step right and a step down.
    page.locator("#photo--place-edit").click()
    expect(page.locator("#placer-frame")).to_be_focused()
    for key in ["-", "-", "ArrowRight", "ArrowDown"]:
        page.keyboard.press(key)
    wanted = {"x": 0.51, "y": 0.51, "scale": 0.9, "rotation": 0.0}
    assert placed(page, lambda p: p == wanted) == wanted
    expect(note).to_have_text(t["smaller"])  # at 90%, the same pixels print finer
    type_into(page, "#text--text", "Lan")
    total(page, t["prices"][3])
    # The second view: the back, by its tab.
    tabs = page.locator("#views .views__tab")
    expect(tabs.locator(".views__name")).to_have_text(t["views"])
    page.locator('#views .views__tab[data-view="back"]').click()
    expect(page.locator('#views .views__tab[aria-pressed="true"]')).to_have_text(t["views"][1])
    expect(page.locator("#preview")).to_have_attribute("src", re.compile(r"&v=back$"))


def mug(page, language: str) -> None:
    from playwright.sync_api import expect

    t: dict[str, Any] = {
        "vi": {
            "reason": "Vân đá không hiện trên men đen",
            "to_white": "Chuyển sang (đổi Màu men: Trắng ngà)",
            "engraving": "Chỉ khắc chữ được trên sứ men bóng. "
            "Hãy đổi Chất liệu: “Sứ men bóng” để dùng được.",
            "to_ceramic": "Chuyển sang (đổi Chất liệu: Sứ men bóng)",
            "prices": ["210.000\xa0₫", "250.000\xa0₫", "239.000\xa0₫", "264.000\xa0₫"],
        },
        "en": {
            "reason": "Marble does not show on black glaze",
            "to_white": "Switch to it (changes Glaze colour: Ivory)",
            "engraving": "Engraving is only possible on glazed ceramic. "
            "Change Material: “Glazed ceramic” to use it.",
            "to_ceramic": "Switch to it (changes Material: Glazed ceramic)",
            "prices": ["₫210,000", "₫250,000", "₫239,000", "₫264,000"],
        },
    }[language]
    choose(page, "color--black")
    ruled_out(page, "design--marble", t["reason"])
    value_repair(page, "design--marble", t["to_white"])
    assert checked(page, "color", "design") == ["color--white", "design--marble"]
    total(page, t["prices"][0])
    choose(page, "material--enamel")
    total(page, t["prices"][1])
    # Engraving needs glazed ceramic: the text is kept and the change offered.
    type_into(page, "#engraving--text", "Lan", shown=None)
    expect(page.locator("#engraving--text--error")).to_have_text(t["engraving"])
    expect(page.locator("#engraving--text")).to_have_value("Lan")
    total(page, t["prices"][1])
    button = page.locator("#engraving--repair")
    expect(button).to_have_text(t["to_ceramic"])
    button.click()
    settled(page)
    expect(page.locator("#engraving--text--error")).to_have_text("")
    assert checked(page, "material") == ["material--ceramic"]
    total(page, t["prices"][2])
    choose(page, "extras--giftbox")
    total(page, t["prices"][3])


def banner(page, language: str) -> None:
    from playwright.sync_api import expect

    t: dict[str, Any] = {
        "vi": {
            "reason": "Vải cotton chỉ rộng tối đa 200 cm",
            "to_cotton": "Chuyển sang (đổi Chiều rộng: 200 cm)",
            "prices": ["310.000\xa0₫", "286.000\xa0₫", "298.000\xa0₫"],
        },
        "en": {
            "reason": "Cotton is at most 200 cm wide",
            "to_cotton": "Switch to it (changes Width: 200 cm)",
            "prices": ["₫310,000", "₫286,000", "₫298,000"],
        },
    }[language]
    type_into(page, "#width--number", "250", "250 cm")
    total(page, t["prices"][0])
    ruled_out(page, "material--cotton", t["reason"])
    value_repair(page, "material--cotton", t["to_cotton"])
    assert checked(page, "material") == ["material--cotton"]
    expect(page.locator("#width--number")).to_have_value("200")  # the nearest allowed
    total(page, t["prices"][1])
    choose(page, "color--red")
    type_into(page, "#message--text", "Khai trương")
    type_into(page, "#rope--number", "2", "2 m")
    total(page, t["prices"][2])


def value_repair(page, value_id: str, name: str) -> None:
    """Take the repair offered beside the ruled-out ``value_id``."""
    studio_step_to(page, f"#{value_id}")
    item = page.locator(f"li.values__item:has(#{value_id})")
    item.get_by_role("button", name=name, exact=True).click()
    settled(page)


def checked(page, *groups: str) -> list[str]:
    return [
        i
        for g in groups
        for i in page.locator(f"#group-{g} input:checked").evaluate_all("l => l.map(e => e.id)")
    ]


DESIGNS: dict[str, Callable[..., None]] = {
    "SNEAKER-01": sneaker,
    "TOTE-01": tote,
    "MUG-01": mug,
    "BANNER-01": banner,
}

# What the shopper sees of each product: the phone's steps, the summary, the cart. -------

SEEN: dict[str, dict[str, dict[str, Any]]] = {
    "SNEAKER-01": {
        "vi": {
            "steps": ["Bước 1/5 · Chất liệu", "Bước 2/5 · Màu"],
            "summary": [
                "Chất liệu Vải bố",
                "Màu Hồng sen",
                "Hoa văn Sọc chéo",
                "Chữ thêu ở gót “Ánh”",
                "Màu chỉ thêu Xanh ngọc",
                "Kiểu chữ Chữ đậm",
            ],
            "choices": [
                "Chất liệu: Vải bố",
                "Màu: Hồng sen",
                "Hoa văn: Sọc chéo",
                "Chữ thêu ở gót: “Ánh”",
                "Màu chỉ thêu: Xanh ngọc",
                "Kiểu chữ: Chữ đậm",
            ],
            "total": "1.385.000\xa0₫",
            "name": "Giày sneaker Sài Gòn",
        },
        "en": {
            "steps": ["Step 1/5 · Material", "Step 2/5 · Colour"],
            "summary": [
                "Material Canvas",
                "Colour Lotus pink",
                "Design Diagonal stripes",
                "Heel monogram “Ánh”",
                "Thread colour Jade",
                "Lettering Bold",
            ],
            "choices": [
                "Material: Canvas",
                "Colour: Lotus pink",
                "Design: Diagonal stripes",
                "Heel monogram: “Ánh”",
                "Thread colour: Jade",
                "Lettering: Bold",
            ],
            "total": "₫1,385,000",
            "name": "Saigon sneaker",
        },
    },
    "TOTE-01": {
        "vi": {
            "steps": ["Bước 1/6 · Chất liệu", "Bước 2/6 · Màu"],
            "summary": [
                "Chất liệu Vải bố",
                "Màu Vàng nghệ",
                "Hoa văn Ảnh của bạn",
                "Chữ in “Lan”",
                "Màu chữ Mực đen",
                "Kiểu chữ Chữ đứng",
                "Ảnh in Đã tải ảnh lên",
            ],
            "choices": [
                "Chất liệu: Vải bố",
                "Màu: Vàng nghệ",
                "Hoa văn: Ảnh của bạn",
                "Chữ in: “Lan”",
                "Màu chữ: Mực đen",
                "Kiểu chữ: Chữ đứng",
                "Ảnh in: ảnh của bạn",
            ],
            "total": "425.000\xa0₫",
            "name": "Túi tote vải",
        },
        "en": {
            "steps": ["Step 1/6 · Material", "Step 2/6 · Colour"],
            "summary": [
                "Material Canvas",
                "Colour Turmeric",
                "Pattern Your photo",
                "Printed text “Lan”",
                "Text colour Ink black",
                "Lettering Upright",
                "Photo print Picture uploaded",
            ],
            "choices": [
                "Material: Canvas",
                "Colour: Turmeric",
                "Pattern: Your photo",
                "Printed text: “Lan”",
                "Text colour: Ink black",
                "Lettering: Upright",
                "Photo print: your picture",
            ],
            "total": "₫425,000",
            "name": "Canvas tote",
        },
    },
    "MUG-01": {
        "vi": {
            "steps": ["Bước 1/5 · Chất liệu", "Bước 2/5 · Màu men"],
            "summary": [
                "Chất liệu Sứ men bóng",
                "Màu men Trắng ngà",
                "Hoa văn Vân đá",
                "Khắc chữ “Lan”",
                "Kèm theo Hộp quà",
            ],
            "choices": [
                "Chất liệu: Sứ men bóng",
                "Màu men: Trắng ngà",
                "Hoa văn: Vân đá",
                "Khắc chữ: “Lan”",
                "Kèm theo: Hộp quà",
            ],
            "total": "264.000\xa0₫",
            "name": "Cốc sứ Bát Tràng",
        },
        "en": {
            "steps": ["Step 1/5 · Material", "Step 2/5 · Glaze colour"],
            "summary": [
                "Material Glazed ceramic",
                "Glaze colour Ivory",
                "Design Marble",
                "Engraving “Lan”",
                "Extras Gift box",
            ],
            "choices": [
                "Material: Glazed ceramic",
                "Glaze colour: Ivory",
                "Design: Marble",
                "Engraving: “Lan”",
                "Extras: Gift box",
            ],
            "total": "₫264,000",
            "name": "Bat Trang mug",
        },
    },
    "BANNER-01": {
        "vi": {
            "steps": ["Bước 1/5 · Chất liệu", "Bước 2/5 · Chiều rộng · Chiều cao"],
            "summary": [
                "Chất liệu Vải cotton",
                "Chiều rộng 200 cm",
                "Chiều cao 60 cm",
                "Màu nền Đỏ",
                "Nội dung in “Khai trương”",
                "Dây treo 2 m",
            ],
            "choices": [
                "Chất liệu: Vải cotton",
                "Chiều rộng: 200 cm",
                "Chiều cao: 60 cm",
                "Màu nền: Đỏ",
                "Nội dung in: “Khai trương”",
                "Dây treo: 2 m",
            ],
            "total": "298.000\xa0₫",
            "name": "Băng rôn in theo kích thước",
        },
        "en": {
            "steps": ["Step 1/5 · Material", "Step 2/5 · Width · Height"],
            "summary": [
                "Material Cotton",
                "Width 200 cm",
                "Height 60 cm",
                "Background Red",
                "Printed text “Khai trương”",
                "Hanging rope 2 m",
            ],
            "choices": [
                "Material: Cotton",
                "Width: 200 cm",
                "Height: 60 cm",
                "Background: Red",
                "Printed text: “Khai trương”",
                "Hanging rope: 2 m",
            ],
            "total": "₫298,000",
            "name": "Banner printed to size",
        },
    },
}


def design_state(page) -> dict:
    """What the studio holds: the ticked values, the typed texts and numbers, the selection
    the preview shows (with the picture and its placement), the view shown."""
    return {
        "checked": page.locator("#groups input:checked").evaluate_all("l => l.map(e => e.id)"),
        "typed": page.locator("#groups input[type=text]").evaluate_all(
            "l => l.map(e => e.id + '=' + e.value)"
        ),
        "preview": preview_selection(page),
        "view": page.locator('#views [aria-pressed="true"]').evaluate_all(
            "l => l.map(e => e.dataset.view)"
        ),
    }


def switch_language(page, language: str) -> None:
    from playwright.sync_api import expect

    settled(page)
    page.locator("#language").select_option(language)
    button = page.locator("form.language button[type=submit]")
    expect(button).to_have_text(WORDS[OTHER[language]]["change"])
    button.click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    settled(page)


def walk_steps(page, seen: dict, language: str) -> None:
    """On a phone: one step at a time, next and back; on a desktop every step shows."""
    from playwright.sync_api import expect

    title = page.locator(".step--current .step__title")
    if not is_phone(page):
        expect(page.locator("#step-nav")).to_be_hidden()
        for text in seen["steps"]:
            expect(page.get_by_role("heading", name=text)).to_be_visible()
        return
    expect(title).to_have_text(seen["steps"][0])
    expect(page.locator("#step-back")).to_be_hidden()
    nav = page.locator("#step-nav")
    nav.get_by_role("button", name=WORDS[language]["next"], exact=True).click()
    expect(title).to_have_text(seen["steps"][1])
    nav.get_by_role("button", name=WORDS[language]["back"], exact=True).click()
    expect(title).to_have_text(seen["steps"][0])


def summary_rows(page) -> list[str]:
    from playwright.sync_api import expect

    if is_phone(page):
        studio_step_to(page, "#summary")
        expect(page.locator("#step-next")).to_be_hidden()
    rows = page.locator("#summary .summary__row").all_inner_texts()
    return [re.sub(r"\s+", " ", row).strip() for row in rows]


def checkout(page, language: str) -> None:
    """Fill the checkout by its labels in the page's language: a Hanoi address."""
    name, phone, email, province, ward = WORDS[language]["fields"]
    page.get_by_label(name, exact=True).fill("Nguyễn Thị Ánh")
    page.get_by_label(phone, exact=True).fill("0912 345 678")
    page.get_by_label(email, exact=True).fill("anh@example.vn")
    page.get_by_label(province, exact=True).select_option(label="Thành phố Hà Nội")
    page.get_by_label(ward, exact=True).select_option(label="Phường Hoàn Kiếm")  # once listed
    page.get_by_label(WORDS[language]["street"], exact=True).fill("12 Lý Thái Tổ")


@pytest.fixture
def demo():
    from django.core.management import call_command

    call_command("demo", "--noserve", verbosity=0)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("sku", list(DESIGNS))
def test_a_shopper_designs_buys_and_sees_the_order_of_each_demo_product(
    page_for, live_server, demo, sku, viewport, language
):
    from playwright.sync_api import expect

    seen = SEEN[sku][language]
    page = page_for(locale=LOCALES[language], viewport=viewport)
    refused = refusals(page)
    page.goto(f"/studio/{sku}/")
    expect(page.locator("h1")).to_have_text(seen["name"])
    walk_steps(page, seen, language)
    on_screen(page)
    DESIGNS[sku](page, language)
    on_screen(page)

    design = design_state(page)
    switch_language(page, OTHER[language])
    expect(page.locator("h1")).to_have_text(SEEN[sku][OTHER[language]]["name"])
    assert design_state(page) == design
    total(page, SEEN[sku][OTHER[language]]["total"])
    switch_language(page, language)
    assert design_state(page) == design
    total(page, seen["total"])
    assert summary_rows(page) == seen["summary"]
    on_screen(page)

    page.get_by_role("button", name=WORDS[language]["cart"], exact=True).click()
    page.wait_for_url("**/cart/")
    assert page.locator(".line .choices li").all_inner_texts() == seen["choices"]
    assert page.locator(".line__price").all_inner_texts() == [seen["total"]]
    assert thumbnails_loaded(page) == [256]
    on_screen(page)
    page.get_by_role("link", name=WORDS[language]["checkout"], exact=True).click()
    page.wait_for_url("**/checkout/")
    checkout(page, language)
    assert thumbnails_loaded(page) == [256]
    on_screen(page)
    page.get_by_role("button", name=WORDS[language]["place"], exact=True).click()
    page.wait_for_url("**/orders/**")

    order = Order.objects.get()
    assert page.locator("#order-number").inner_text() == order.number
    assert page.locator(".line .choices li").all_inner_texts() == seen["choices"]
    assert page.locator(".total strong").inner_text() == seen["total"]
    assert thumbnails_loaded(page) == [256]
    assert page.locator("#delivery-address").inner_text() == (
        "Nguyễn Thị Ánh · +84912345678\n12 Lý Thái Tổ, Phường Hoàn Kiếm, Thành phố Hà Nội"
    )
    on_screen(page)
    assert refused == []
