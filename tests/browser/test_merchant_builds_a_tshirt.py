"""Issue 14's done-when, in Vietnamese: a merchant builds a T-shirt's option set in one save
(groups, values, a rule ticked in its grid, a preview layer with a picture), runs the Check,
tries the draft ("Xem thử"), publishes; a shopper then meets the rule in the studio, with its
message and its repair.

``MERCHANT_SHOTS=docs/screenshots`` leaves the admin's pages there for the merchant guide.
"""

from __future__ import annotations

import copy
import os

import pytest
from django.conf import settings
from django.test import Client

from catalog.models import OptionSetVersion, Product, Rule
from catalog.services import option_set_import
from configurator.compilation.selectors import engine_cache
from tests.fixtures.documents import TOTE
from tests.fixtures.pictures import png
from tests.fixtures.studio import studio_step_to

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("MERCHANT_SHOTS")
GROUPS = [
    ("material", "Chất liệu", [("cotton", "Vải cotton", ""), ("suede", "Da lộn", "")]),
    (
        "color",
        "Màu",
        [("white", "Trắng", "#ffffff"), ("black", "Đen", "#111111"), ("navy", "Xanh đen", "")],
    ),
]
MESSAGE = "Da lộn không có màu Trắng"


def shot(page, name: str, full_page: bool = True) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=full_page)


def refusals(page) -> list[str]:
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return refused


def signed_in(page_for, live_server, admin_user, viewport=DESKTOP):
    web = Client()
    web.force_login(admin_user)
    page = page_for(locale="vi-VN", viewport=viewport)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": web.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    return page


def add_group(page, index: int, code: str, name: str, values) -> None:
    page.locator(".djn-add-handler.djn-model-catalog-optiongroup").last.click()
    prefix = f"groups-{index}"
    page.locator(f'[name="{prefix}-code"]').fill(code)
    page.locator(f'[name="{prefix}-kind"]').select_option("choice")
    page.locator(f'[name="{prefix}-name_vi"]').fill(name)
    group = page.locator(f"#{prefix}")
    for number, (value, value_name, swatch) in enumerate(values):
        group.locator(".djn-add-handler.djn-model-catalog-optionvalue").click()
        field = f"{prefix}-values-{number}"
        page.locator(f'[name="{field}-code"]').fill(value)
        page.locator(f'[name="{field}-name_vi"]').fill(value_name)
        if swatch:
            page.locator(f'[name="{field}-swatch"]').fill(swatch)


def test_a_merchant_builds_a_tshirt_in_one_save_and_a_shopper_meets_its_rule(
    page_for, live_server, admin_user
):
    from playwright.sync_api import expect

    engine_cache.clear()
    page = signed_in(page_for, live_server, admin_user)
    refused = refusals(page)

    # The product, from the admin's own form.
    page.goto("/admin/catalog/product/add/")
    page.locator("#id_sku").fill("TEE-01")
    page.locator("#id_name_vi").fill("Áo thun")
    page.locator("#id_base_price").fill("150000")
    page.locator('input[name="_save"]').click()
    page.wait_for_url("**/catalog/product/")
    product = Product.objects.get(sku="TEE-01")
    assert (product.name_vi, product.base_price, product.currency) == ("Áo thun", 150_000, "VND")

    # One save: groups, values, a rule ticked in its grid, a preview layer with a picture.
    page.goto("/admin/catalog/optionsetversion/add/")
    page.locator("#id_product").select_option(str(product.pk))
    for index, (code, name, values) in enumerate(GROUPS):
        add_group(page, index, code, name, values)
    page.locator(".djn-add-handler.djn-model-catalog-rule").click()
    page.locator('[name="rules-0-kind"]').select_option("forbidden")
    page.locator('[name="rules-0-message_vi"]').fill(MESSAGE)
    page.locator('[name="rules-0-groups_text"]').fill("material, color")
    grid = page.locator("#rules-0 .rule-grid")
    box = grid.get_by_label("Da lộn × Trắng")
    box.check()
    expect(page.locator('[name="rules-0-rows_text"]')).to_have_value("suede, white")
    expect(grid.locator("caption")).to_have_text(
        "Ô được đánh dấu: hai giá trị này không được đi cùng nhau (không bao giờ chọn chung)."
    )
    expect(grid.locator(".rule-grid__message-text")).to_have_text(MESSAGE)
    # The text and the grid are one rule: a line typed ticks its box.
    page.locator('[name="rules-0-rows_text"]').fill("suede, white\ncotton, navy")
    expect(grid.get_by_label("Vải cotton × Xanh đen")).to_be_checked()
    grid.get_by_label("Vải cotton × Xanh đen").uncheck()
    expect(page.locator('[name="rules-0-rows_text"]')).to_have_value("suede, white")
    page.locator(".djn-add-handler.djn-model-catalog-previewlayer").click()
    page.locator('[name="preview_layers-0-kind"]').select_option("base")
    page.locator('[name="preview_layers-0-image"]').set_input_files(
        files=[{"name": "ao-thun.png", "mimeType": "image/png", "buffer": png(400, 400)}]
    )
    grid.scroll_into_view_if_needed()
    shot(page, "admin-1-one-save.png")
    if SHOTS:
        grid.locator("xpath=ancestor::fieldset[1]").screenshot(
            path=os.path.join(SHOTS, "admin-2-rule-grid.png")
        )
    page.locator('input[name="_continue"]').click()

    page.wait_for_url("**/optionsetversion/*/change/**")
    version = OptionSetVersion.objects.get(product=product)
    assert version.number == 1
    rule = Rule.objects.get(version=version)
    assert (rule.kind, rule.table_groups, rule.rows) == (
        "forbidden",
        ["material", "color"],
        [["suede", "white"]],
    )
    assert version.preview_layers.get().image.name.startswith("catalog/layers/")
    saved = page.locator("#rules-0 .rule-grid")
    expect(saved.get_by_label("Da lộn × Trắng")).to_be_checked()
    expect(saved.locator('input[type="checkbox"]:checked')).to_have_count(1)

    # The Check: the count, and no problem.
    page.get_by_role("link", name="Kiểm tra").click()
    expect(page.locator("#configurations")).to_have_text("5")  # 2 × 3, less Da lộn × Trắng
    shot(page, "admin-3-check.png")
    page.go_back()

    # "Xem thử": the draft in the studio, staff only.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Xem thử").click()
    studio = opened.value
    studio.get_by_label("Trắng").check()
    expect(studio.locator("#material--suede")).to_have_attribute("aria-disabled", "true")
    studio.close()

    # Publish.
    page.get_by_role("button", name="Xuất bản").click()
    expect(page.locator(".messagelist")).to_contain_text("Phiên bản 1")
    shot(page, "admin-4-version-published.png")
    assert refused == []

    # A shopper, on a phone.
    shopper = page_for(locale="vi-VN", viewport=PHONE)
    seen = refusals(shopper)
    shopper.goto("/studio/TEE-01/")
    studio_step_to(shopper, 'label[for="color--navy"]')
    # A value without a swatch shows none; the others show theirs.
    assert shopper.locator('label[for="color--navy"] .swatch').count() == 0
    assert shopper.locator('label[for="color--white"] .swatch').count() == 1
    shopper.locator('label[for="color--white"]').click()
    expect(shopper.locator("#color--white")).to_be_checked()
    studio_step_to(shopper, 'label[for="material--suede"]')
    suede = shopper.locator("#material--suede")
    expect(suede).to_have_attribute("aria-disabled", "true")
    expect(shopper.locator("#material--suede--why")).to_have_text(MESSAGE)
    shot(shopper, "studio-rule-explained.png", full_page=False)
    shopper.get_by_role("button", name="Chuyển sang").click()
    expect(suede).to_be_checked()
    expect(shopper.locator("#color--white")).not_to_be_checked()
    assert seen == []


def test_a_wide_grid_scrolls_in_its_own_box_on_a_phone(page_for, live_server, admin_user):
    document = copy.deepcopy(TOTE)
    document["groups"][1]["values"] = [
        {"code": f"c{n}", "name": {"vi": f"Màu số {n}"}} for n in range(20)
    ]
    document["rules"][0]["rows"] = [["suede", "c0"], ["canvas", "*"]]
    draft = option_set_import(document=document)
    page = signed_in(page_for, live_server, admin_user, viewport=PHONE)

    page.goto(f"/admin/catalog/optionsetversion/{draft.pk}/change/")

    scroll = page.locator("#rules-0 .rule-grid__scroll")
    box = scroll.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    widths = scroll.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] > widths[1]  # the table is wider than its box: the box scrolls
    scroll.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    last = page.locator("#rules-0 .rule-grid").get_by_label("Da lộn × Màu số 19")
    expect_visible = last.bounding_box()
    assert expect_visible is not None and expect_visible["x"] + 10 <= PHONE["width"]


def test_the_check_names_a_rule_by_the_values_it_touches(page_for, live_server, admin_user):
    document = copy.deepcopy(TOTE)
    document["rules"] = [
        {
            "kind": "forbidden",
            "message": {"vi": "Da lộn không có màu Đỏ"},
            "groups": ["material", "color"],
            "rows": [["suede", "red"]],
        }
    ]
    document["groups"][0]["values"][1]["default"] = True  # Da lộn
    document["groups"][1]["values"][3]["default"] = True  # Đỏ: the defaults break the rule
    draft = option_set_import(document=document)
    page = signed_in(page_for, live_server, admin_user)

    page.goto(f"/admin/catalog/optionsetversion/{draft.pk}/check/")

    from playwright.sync_api import expect

    row = page.locator("#problems tr.error")
    expect(row.locator("td.place")).to_have_text("Quy tắc: Da lộn × Đỏ$.rules[0]")
    shot(page, "admin-3b-check-names-the-rule.png", full_page=False)
