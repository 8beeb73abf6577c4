"""A returning shopper sees defaults from their history, switches them off, exports, erases."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from django.test import Client

from catalog.services import option_set_import
from configurator.compilation.selectors import engine_cache
from configurator.orders.models import Order
from configurator.personalization.models import Customer, PurchaseEvent
from tests.fixtures.consent import consent_given
from tests.fixtures.documents import TOTE
from tests.fixtures.histories import store_purchases

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-2026"
SHIPPING = {
    "name": "Lan",
    "email": "lan@example.vn",
    "phone": "0901234567",
    "address": "12 Lý Thái Tổ",
    "province": "Hà Nội",
    "ward": "70",  # Phường Hoàn Kiếm
}


@pytest.fixture
def lan(django_user_model):
    """Lan ordered navy totes on the web; the shop's other shoppers mostly buy brown."""
    engine_cache.clear()
    option_set_import(document=copy.deepcopy(TOTE), publish=True)
    user = django_user_model.objects.create_user("lan", "lan@example.vn", PASSWORD)
    store_purchases("khach2", "brown", 6)
    web = Client(HTTP_ACCEPT_LANGUAGE="en")
    web.force_login(user)
    for key in ("lan-1", "lan-2"):
        web.post(
            "/api/v1/cart/lines/",
            {"product": "TOTE-01", "selection": {"material": "canvas", "color": "navy"}},
            content_type="application/json",
        )
        response = web.post(
            "/api/v1/orders/", {**SHIPPING, "idempotency_key": key}, content_type="application/json"
        )
        assert response.status_code == 201, response.content
    assert PurchaseEvent.objects.filter(customer__user=user).count() == 2
    consent_given(user, channel="web")  # the shop asks first (opt-in): Lan agreed
    return user


def sign_in(page) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("lan")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/designs/")


def reason_of(page, group: str) -> str:
    reason = page.locator(f"#group-{group} .group__reason")
    return reason.inner_text() if reason.count() else ""


def test_personalized_defaults_switch_off_export_and_erase(page_for, lan):
    page = page_for(locale="en-US")
    sign_in(page)

    page.goto("/studio/TOTE-01/")
    page.locator("#color--navy").wait_for(state="attached")
    assert page.locator("#color--navy").is_checked()
    assert reason_of(page, "color") == "You chose Navy in 2 of your last 2 orders."

    page.goto("/accounts/me/")
    page.locator("#personalized-defaults").uncheck()
    page.locator("#save-personalization").click()
    page.get_by_text("Options are no longer pre-selected from your past orders.").wait_for()
    assert not page.locator("#personalized-defaults").is_checked()
    page.goto("/studio/TOTE-01/")
    page.locator("#color--brown").wait_for(state="attached")
    assert page.locator("#color--brown").is_checked()  # what the shop's shoppers choose
    assert reason_of(page, "color") == "Most chosen by shoppers of this product."
    assert page.locator("#defaults-basis").inner_text() == (
        "Pre-selected from what shoppers of this product choose. Start from the shop's defaults"
    )  # not "from your past orders": they are switched off

    page.goto("/accounts/me/")
    with page.expect_download() as download_info:
        page.locator("#export").click()
    download = download_info.value
    assert download.suggested_filename == "my-purchase-history.json"
    exported = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    numbers = sorted(Order.objects.filter(owner=lan).values_list("number", flat=True))
    assert sorted(p["order"] for p in exported["purchases"]) == numbers
    assert {p["channel"] for p in exported["purchases"]} == {"web"}
    assert [p["options"]["color"] for p in exported["purchases"]] == ["navy", "navy"]
    assert exported["personalized_defaults"] is False

    assert page.locator("#purchase-history tbody tr").count() == 2
    page.locator("#erase").click()  # the box unticked: refused, and said beside the box
    page.locator("#erase-confirm-error").wait_for()
    assert page.locator("#erase-confirm-error").inner_text() == (
        "Tick “I want my purchase history erased” to erase it. Nothing was erased."
    )
    assert page.locator("#purchase-history tbody tr").count() == 2
    assert PurchaseEvent.objects.filter(order__in=numbers).count() == 2

    page.locator("#erase-confirm").check()
    page.locator("#erase").click()
    page.locator("#no-history").wait_for()
    assert page.locator("#purchase-history").count() == 0
    assert sorted(page.locator("#orders a").all_inner_texts()) == numbers
    assert not page.locator("#personalized-defaults").is_checked()  # the choice survives
    assert list(Customer.objects.filter(user=lan).values_list("personalization_enabled")) == [
        (False,)
    ]
    assert not PurchaseEvent.objects.filter(order__in=numbers).exists()
    assert Order.objects.filter(owner=lan).count() == 2
    page.goto("/studio/TOTE-01/")
    page.locator("#color--brown").wait_for(state="attached")
    assert page.locator("#color--brown").is_checked()
    assert "past orders" not in page.locator("#steps").inner_text()


def test_erase_unticked_is_refused_in_vietnamese(page_for, lan):
    page = page_for(locale="vi-VN")
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("lan")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/designs/")
    page.goto("/accounts/me/")
    page.locator("#erase").click()
    page.locator("#erase-confirm-error").wait_for()
    assert page.locator("#erase-confirm-error").inner_text() == (
        "Hãy đánh dấu ô “Tôi muốn xóa lịch sử mua hàng” để xóa. Chưa có gì bị xóa."
    )
    assert page.locator("#purchase-history tbody tr").count() == 2
    assert PurchaseEvent.objects.filter(customer__user=lan).count() == 2
