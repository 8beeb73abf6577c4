"""axe-core on a phone in Vietnamese: no serious or critical violation on the storefront,
the studio, the cart, the checkout, the confirmation and the account page."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from tests.fixtures.studio import DEMO_TOTE_DESIGN

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SELECTION = DEMO_TOTE_DESIGN


def serious(page) -> list[tuple[str, str, list[str]]]:
    """Each serious or critical violation: rule, impact and the offending elements."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [
        (v["id"], v["impact"], [" ".join(n["target"]) for n in v["nodes"]][:5])
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def test_shop_pages_have_no_serious_accessibility_violation(
    browser, live_server, django_user_model
):
    call_command("demo", "--noserve", verbosity=0)
    user = django_user_model.objects.create_user("anh", "anh@example.vn", "mat-khau-2026")
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport=PHONE)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    report = {}

    page.goto("/")
    report["storefront"] = serious(page)
    page.goto("/studio/TOTE-01/")
    page.locator(".value").first.wait_for()
    report["studio"] = serious(page)
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    added = page.request.post(
        "/api/v1/cart/lines/",
        data={"product": "TOTE-01", "selection": SELECTION},
        headers={"X-CSRFToken": token, "Referer": f"{live_server.url}/cart/"},
    )
    assert added.status == 201, added.text()
    page.goto("/cart/")
    report["cart"] = serious(page)
    page.goto("/checkout/")
    report["checkout"] = serious(page)
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Ánh")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Email").fill("anh@example.vn")
    page.get_by_label("Tỉnh/Thành phố").select_option(label="Thành phố Hà Nội")
    page.get_by_label("Phường/xã").select_option(label="Phường Hoàn Kiếm")
    page.get_by_label("Số nhà, tên đường").fill("12 Lý Thái Tổ")
    page.get_by_role("button", name="Đặt hàng").click()
    page.wait_for_url("**/orders/**")
    report["confirmation"] = serious(page)
    page.goto("/accounts/me/")
    report["account"] = serious(page)
    # The check can fail: a picture without a text alternative is a critical violation.
    page.evaluate("document.body.append(document.createElement('img'))")
    planted = [rule for rule, _, _ in serious(page)]
    context.close()

    pages = ("storefront", "studio", "cart", "checkout", "confirmation", "account")
    assert report == {name: [] for name in pages}
    assert planted == ["image-alt"]
