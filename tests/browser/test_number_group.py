"""A number group in a phone's hand (390×844, Vietnamese): typed, refused off its grid,
ruled out by a rule with the repair beside it, priced by its formula; and without JavaScript."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from configurator.orders.models import CartLine
from tests.fixtures.documents import banner_document

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
KEEP_SHOTS = os.environ.get("STUDIO_PHONE_SHOTS")  # set: the tests refresh docs/screenshots


@pytest.fixture
def banner(publish):
    return publish(banner_document())


def _width_step(page):
    page.goto("/studio/BANNER-01/")
    page.get_by_text("Vải cotton", exact=True).click()
    page.get_by_role("button", name="Tiếp").click()
    field = page.locator("#width--number")
    field.wait_for(state="visible")
    return field


def test_a_number_is_typed_refused_repaired_and_priced_on_a_phone(page_for, banner, tmp_path):
    from playwright.sync_api import expect

    page = page_for("vi-VN", PHONE)
    field = _width_step(page)
    assert field.input_value() == "120"
    assert page.locator("#width--number--hint").text_content() == "Từ 50 đến 300 cm, bước 10 cm."
    assert page.locator(".number__unit").first.text_content() == "cm"

    field.fill("125")
    field.press("Tab")
    error = page.locator("#width--number--error")
    error.filter(has_text="bước").wait_for()
    assert error.text_content() == "Chiều rộng phải từ 50 đến 300 cm, bước 10 cm."
    assert field.input_value() == "125"  # what was typed stays, said to be wrong

    field.fill("250")
    field.press("Tab")
    error.filter(has_text="cotton").wait_for()
    assert error.text_content().startswith("Vải cotton chỉ rộng tối đa 200 cm")
    repair = page.locator("#width--repair")
    assert repair.text_content() == "Chuyển sang (đổi Chất liệu: Bạt PVC)"
    page.screenshot(path=str((SHOTS if KEEP_SHOTS else tmp_path) / "studio-number-phone-vi.png"))

    assert page.locator(".number .why").count() == 0  # the refusal says it once
    repair.click()
    expect(page.locator("#price-total")).to_contain_text("350")
    # 50,000 + 250 × 80 / 10,000 × 150,000 = 50,000 + 300,000
    assert page.locator("#price-total").text_content() == "350.000\xa0₫"
    assert page.locator("#width--number").input_value() == "250"
    assert page.locator("#width--number--error").text_content() == ""


def test_without_javascript_a_number_off_its_grid_is_said_beside_it(browser, live_server, banner):
    context = browser.new_context(
        locale="vi-VN", base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/studio/BANNER-01/")
        page.locator("#width--number").fill("305")
        page.locator("#update").click()
        assert page.locator("#width--number--error").text_content() == (
            "Chiều rộng phải từ 50 đến 300 cm, bước 10 cm."
        )
        assert page.locator("#width--number").input_value() == "305"
        page.locator("#width--number").fill("150")
        page.locator("#update").click()
        assert page.locator("#width--number--error").text_content() == ""
        assert page.locator("#price-total").text_content() == "230.000\xa0₫"
        assert CartLine.objects.count() == 0
    finally:
        context.close()


def test_a_value_ruled_out_by_a_number_names_the_repairs_number_with_its_unit(page_for, banner):
    """The script draws the repair as the server does: "Chiều rộng: 200 cm", not "… 200";
    the nearest width cotton allows."""
    from playwright.sync_api import expect

    page = page_for("vi-VN", PHONE)
    page.goto("/studio/BANNER-01/")
    page.get_by_role("button", name="Tiếp").click()
    field = page.locator("#width--number")
    field.fill("250")
    field.press("Tab")
    expect(page.locator("#price-total")).to_have_text("350.000\xa0₫")
    page.get_by_role("button", name="Quay lại").click()
    expect(page.locator("#material--cotton")).to_have_attribute("aria-disabled", "true")
    repair = page.locator("li.values__item:has(#material--cotton) button")
    expect(repair).to_have_text("Chuyển sang (đổi Chiều rộng: 200 cm)")
    repair.click()
    expect(page.locator("#material--cotton")).to_be_checked()
    expect(field).to_have_value("200")
