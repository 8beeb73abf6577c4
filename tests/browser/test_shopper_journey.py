"""A new shopper designs a tote, meets a ruled-out value, repairs, saves, shares, buys."""

from __future__ import annotations

import copy
import os

import pytest

from catalog.services import option_set_import
from configurator.compilation.selectors import engine_cache
from configurator.orders.models import Order
from configurator.personalization.models import DefaultOutcome
from tests.fixtures.documents import PRINTED
from tests.fixtures.pictures import png

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


TEXT = {
    "vi": {
        "suede": "Da lộn",
        "navy": "Xanh đen",
        "reason": "Da lộn chỉ có màu Đen hoặc Nâu",
        "switch": "Chuyển sang",
        "save": "Lưu thiết kế",
        "share": "Chia sẻ",
        "cart": "Thêm vào giỏ",
        "checkout": "Thanh toán",
        "place": "Đặt hàng",
        "total": "570.000\xa0₫",
        "total_with_photo": "630.000\xa0₫",
        "print_warning": "Ảnh quá nhỏ so với vùng in: chỉ khoảng 102 DPI, trong khi 300 DPI cần "
        "1181×886 điểm ảnh. Bản in sẽ bị mờ.",
    },
    "en": {
        "suede": "Suede",
        "navy": "Navy",
        "reason": "Suede comes only in Black or Brown",
        "switch": "Switch to it",
        "save": "Save design",
        "share": "Share",
        "cart": "Add to cart",
        "checkout": "Check out",
        "place": "Place order",
        "total": "₫570,000",
        "total_with_photo": "₫630,000",
        "print_warning": "The picture is too small for the print area: about 102 DPI where "
        "300 DPI needs 1181×886 pixels. It will look blurry.",
    },
}


@pytest.fixture
def tote():
    engine_cache.clear()
    return option_set_import(document=copy.deepcopy(PRINTED), publish=True)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_shopper_journey(page_for, tote, language):
    from playwright.sync_api import expect

    words = TEXT[language]
    page = page_for(locale="vi-VN" if language == "vi" else "en-US")
    # Locator expectations, not wait_for_function: its string is eval()ed in the page, and
    # the Content-Security-Policy refuses eval like any script that is not a file.
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto("/studio/TOTE-01/")
    page.get_by_label(words["navy"]).check()
    expect(page.locator("#color--navy")).to_be_checked()
    suede = page.locator("#material--suede")
    expect(suede).to_have_attribute("aria-disabled", "true")
    assert suede.get_attribute("aria-disabled") == "true"
    reason = page.locator("#material--suede--why")
    assert reason.inner_text() == words["reason"]
    if language == "en" and os.environ.get("STUDIO_SCREENSHOT"):
        # STUDIO_SCREENSHOT=docs/studio.png pytest tests/browser refreshes the docs' picture.
        page.screenshot(path=os.environ["STUDIO_SCREENSHOT"], full_page=True)
    page.get_by_role("button", name=words["switch"]).click()
    expect(suede).to_be_checked()
    assert page.locator("#color--black").is_checked()
    page.locator("#monogram--text").fill("Ngọc Ánh")
    expect(page.locator("#price-total")).to_have_text(words["total"])
    expect(page.locator(".studio")).not_to_have_attribute("aria-busy", "true")  # settled
    page.locator("#photo--file").set_input_files(
        files=[{"name": "holiday.png", "mimeType": "image/png", "buffer": png(400, 300)}]
    )
    # An upload is sniffed, re-encoded and stored: give it time on a loaded machine.
    expect(page.locator("#price-total")).to_have_text(words["total_with_photo"], timeout=20_000)
    # 400 × 300 pixels in a 100 × 75 mm print area: about 102 DPI, a warning, not a refusal.
    note = page.locator("#photo--file--note")
    assert note.inner_text() == words["print_warning"]
    assert note.get_attribute("class") == "field-note field-note--warning"
    page.get_by_role("button", name=words["save"]).click()
    page.get_by_role("button", name=words["share"]).click()
    share = page.locator("#share-url")
    share.wait_for()
    assert "?design=" in share.inner_text()
    page.get_by_role("button", name=words["cart"]).click()
    page.wait_for_url("**/cart/")
    page.get_by_role("link", name=words["checkout"]).click()
    page.locator("#id_name").fill("Nguyễn Thị Lan")
    page.locator("#id_email").fill("lan@example.vn")
    page.locator("#id_phone").fill("0901 234 567")
    page.locator("#id_address").fill("12 Lý Thái Tổ")
    page.locator("#id_province").select_option("1")  # Thành phố Hà Nội
    page.locator("#id_ward").select_option("70")  # Phường Hoàn Kiếm, once the list came
    page.get_by_role("button", name=words["place"]).click()
    page.wait_for_url("**/orders/*/")
    number = page.locator("#order-number").inner_text()
    order = Order.objects.get(number=number)
    assert [c.get("text") for c in order.lines.get().choices if c.get("text")] == ["Ngọc Ánh"]
    assert str(order.total) == "630000.00"
    line = order.lines.get()
    assert line.files[0]["group"] == "photo"
    assert (line.files[0]["width"], line.files[0]["height"]) == (400, 300)
    # The studio's proposal came back with the cart line: the shopper changed both defaults.
    assert line.proposed_defaults["material"] == {"value": "canvas", "source": "merchant"}
    outcomes = dict(DefaultOutcome.objects.filter(order_line=line).values_list("group", "kept"))
    assert outcomes["material"] is False
    assert refused == []  # nothing the policy refused, on any page of the journey
