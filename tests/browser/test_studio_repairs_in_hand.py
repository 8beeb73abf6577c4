"""At a phone's width, in Vietnamese: a picture that needs another pattern offers it in one
click; a text over its limit is kept whole and said to be too long."""

from __future__ import annotations

import copy

import pytest

from catalog.services import option_set_import
from configurator.compilation.selectors import engine_cache
from tests.fixtures.documents import TOTE
from tests.fixtures.patterns import patterned
from tests.fixtures.pictures import png
from tests.fixtures.studio import studio_step_to

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


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


def test_a_picture_on_the_default_pattern_offers_the_pattern_in_one_click(page_for, live_server):
    from playwright.sync_api import expect

    publish(patterned())
    page = page_for(locale="vi-VN", viewport=PHONE)
    refused = refusals(page)
    page.goto("/studio/TOTE-01/")
    expect(page.locator("#design--plain")).to_be_checked()
    studio_step_to(page, "#photo--file--label")  # a phone shows one step at a time
    page.locator("#photo--file").set_input_files(
        files=[{"name": "me.png", "mimeType": "image/png", "buffer": png(400, 300)}]
    )
    note = page.locator("#photo--file--note")
    expect(note).to_have_text(
        "Ảnh tải lên chỉ in được với mẫu “Ảnh của bạn”. "
        "Hãy đổi Hoa văn: “Ảnh của bạn” để dùng được."
    )
    expect(page.locator("#price-total")).to_have_text("350.000\xa0₫")  # nothing applied
    expect(page.locator("#status")).to_have_text("")
    button = page.locator("#photo--repair")
    expect(button).to_contain_text("Hoa văn: Ảnh của bạn")
    button.click()
    expect(page.locator("#design--photo")).to_be_checked()
    expect(note).to_have_text("Đã tải ảnh lên")
    expect(page.locator("#price-total")).to_have_text("410.000\xa0₫")
    expect(page.locator("#photo--repair")).to_have_count(0)
    assert refused == []


def test_a_text_over_its_limit_is_kept_whole_and_said_to_be_too_long(page_for, live_server):
    from playwright.sync_api import expect

    publish(TOTE)
    page = page_for(locale="vi-VN", viewport=PHONE)
    refused = refusals(page)
    page.goto("/studio/TOTE-01/")
    field = page.locator("#monogram--text")
    studio_step_to(page, "#monogram--text")  # a phone shows one step at a time
    field.click()
    page.keyboard.type("Nguyễn Thị Ánh", delay=20)
    expect(field).to_have_value("Nguyễn Thị Ánh")
    expect(page.locator("#monogram--text--count")).to_have_text("4 ký tự quá giới hạn")
    # The server refuses it (engine.V010) and the page says so, keeping every letter.
    expect(page.locator("#monogram--text--error")).to_have_text("Chữ thêu nhận tối đa 10 ký tự.")
    expect(field).to_have_value("Nguyễn Thị Ánh")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#price-total")).to_have_text("350.000\xa0₫")
    # Choosing something else keeps the text as typed; shortening it applies it.
    studio_step_to(page, "#color--brown")
    page.get_by_label("Nâu").check()
    expect(page.locator("#color--brown")).to_be_checked()
    expect(field).to_have_value("Nguyễn Thị Ánh")
    studio_step_to(page, "#monogram--text")
    field.fill("Nguyễn Thị")
    expect(page.locator("#monogram--text--count")).to_have_text("0 ký tự còn lại")
    expect(page.locator("#monogram--text--error")).to_have_text("")
    expect(page.locator("#price")).to_contain_text("Chữ thêu: 9 ký tự × 10.000\xa0₫")
    expect(page.locator("#price-total")).to_have_text("440.000\xa0₫")
    assert refused == []
