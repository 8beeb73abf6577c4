"""At a phone's width, in Vietnamese: a leather out of stock is shown disabled with the day
it is back, the shopper sees when their design should ship, and a leather that runs out
while they design is repaired in one click.

STOCK_SHOTS=docs/screenshots python -m pytest --slow tests/browser/test_stock_journey.py
"""

from __future__ import annotations

import copy
import datetime
import os

import pytest

from catalog.models import Product, ValueStock
from catalog.services import option_set_import
from catalog.stock import stock_forget
from configurator.compilation.selectors import engine_cache
from tests.fixtures.documents import TOTE
from tests.fixtures.studio import studio_step_to

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("STOCK_SHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def test_out_of_stock_is_said_and_repaired_at_a_phones_width(page_for, live_server, settings):
    from playwright.sync_api import expect

    settings.CATALOG_STOCK_SECONDS = 0  # the live server reads stock at every request
    engine_cache.clear()
    version = option_set_import(document=copy.deepcopy(TOTE), publish=True)
    Product.objects.filter(pk=version.product_id).update(lead_time_days=3)
    ValueStock.objects.create(
        product=version.product, group_code="color", value_code="red", quantity=0,
        restock_date=datetime.date(2026, 12, 24),
    )  # fmt: skip
    suede = ValueStock.objects.create(
        product=version.product, group_code="material", value_code="suede", quantity=5,
        lead_time_days=4,
    )  # fmt: skip
    stock_forget()
    page = page_for(locale="vi-VN", viewport=PHONE)
    page.goto("/studio/TOTE-01/")
    studio_step_to(page, "#color--more")  # three colours show first, the others on asking
    page.locator("#color--more").click()
    expect(page.locator("#color--red")).to_have_attribute("aria-disabled", "true")
    expect(page.locator("#color--red--why")).to_have_text(
        "Hết hàng, dự kiến có lại ngày 24/12/2026"
    )
    shot(page, "stock-phone-vi-disabled.png")
    studio_step_to(page, "#material--suede")
    page.locator("label[for=material--suede]").click()
    expect(page.locator("#material--suede")).to_be_checked()
    studio_step_to(page, "#delivery")
    expect(page.locator("#delivery")).to_contain_text("Dự kiến giao: ")
    days = (datetime.date.today() + datetime.timedelta(days=7)).strftime("%d/%m/%Y")
    expect(page.locator("#delivery")).to_contain_text(days)
    shot(page, "stock-phone-vi-delivery.png")
    # The suede runs out while the shopper designs: the next choice is refused beside the
    # material, with the one-click repair.
    ValueStock.objects.filter(pk=suede.pk).update(quantity=0)
    stock_forget()
    studio_step_to(page, "#color--brown")
    page.locator("label[for=color--brown]").click()
    studio_step_to(page, "#material--repair")
    expect(page.locator("#material--error")).to_have_text(
        "Chất liệu “Da lộn” đã hết hàng. Hãy đổi sang Chất liệu: “Vải bố” để tiếp tục."
    )
    shot(page, "stock-phone-vi-repair.png")
    page.locator("#material--repair").click()
    studio_step_to(page, "#material--canvas")
    expect(page.locator("#material--canvas")).to_be_checked()
    expect(page.locator("#material--suede")).to_have_attribute("aria-disabled", "true")
