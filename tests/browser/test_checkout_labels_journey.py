"""A phone in Vietnamese: the cart names the choices and shows the design, the checkout takes
a two-level address (with and without JavaScript), the confirmation shows the order."""

from __future__ import annotations

import os
import time

import pytest
from django.core.management import call_command

from configurator.orders.addresses import wards
from configurator.orders.models import Order
from tests.fixtures.studio import DEMO_TOTE_DESIGN

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# A folder for the screenshots (docs/screenshots/ holds the cart's and the checkout's):
# CHECKOUT_SHOTS=docs/screenshots python -m pytest --slow tests/browser/test_checkout_labels_*
SHOTS = os.environ.get("CHECKOUT_SHOTS")
SELECTION = DEMO_TOTE_DESIGN
CHOICES = [
    "Chất liệu: Vải bố",
    "Màu: Xanh đen",
    "Hoa văn: Kẻ sọc",
    "Chữ in: “Lan”",
    "Màu chữ: Vàng đồng",
    "Kiểu chữ: Chữ có chân",
]


def fits(page) -> None:
    """Nothing is wider than the phone's screen."""
    width = page.evaluate("document.documentElement.scrollWidth")
    wider = page.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert (width, wider) == (390, [])


def shoot(page, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def thumbnails_loaded(page) -> list[int]:
    """Each thumbnail's natural width, once all are loaded (0: broken after 10 s)."""
    # Polled with evaluate, not wait_for_function: the CSP refuses the eval it needs.
    script = "[...document.querySelectorAll('img.thumb')].map(i => i.complete ? i.naturalWidth : 0)"
    for _ in range(100):
        widths = page.evaluate(script)
        if all(widths):
            break
        time.sleep(0.1)
    return widths


def open_cart(browser, live_server, *, javascript: bool):
    context = browser.new_context(
        locale="vi-VN",
        base_url=live_server.url,
        viewport=PHONE,
        java_script_enabled=javascript,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/cart/")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    added = page.request.post(
        "/api/v1/cart/lines/",
        data={"product": "TOTE-01", "selection": SELECTION},
        headers={"X-CSRFToken": token, "Referer": f"{live_server.url}/cart/"},
    )
    assert added.status == 201, added.text()
    page.goto("/cart/")
    return context, page


def fill_who(page) -> None:
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Ánh")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Email").fill("anh@example.vn")


def test_phone_journey_in_vietnamese(browser, live_server):
    from playwright.sync_api import expect

    call_command("demo", "--noserve", verbosity=0)
    context, page = open_cart(browser, live_server, javascript=True)
    choices = page.locator(".line .choices li").all_inner_texts()
    assert choices == CHOICES
    assert thumbnails_loaded(page) == [256]
    fits(page)
    shoot(page, "cart-phone-vi.png")

    page.get_by_role("link", name="Thanh toán").click()
    page.wait_for_url("**/checkout/")
    assert page.locator("#show-wards").is_hidden()  # the script fills the wards instead
    fill_who(page)
    page.get_by_label("Tỉnh/Thành phố").select_option(label="Thành phố Hà Nội")
    expect(page.locator("#id_ward option")).to_have_count(1 + len(wards("1")))
    page.get_by_label("Phường/xã").select_option(label="Phường Hoàn Kiếm")
    page.get_by_label("Số nhà, tên đường").fill("12 Lý Thái Tổ")
    assert thumbnails_loaded(page) == [256]
    fits(page)
    shoot(page, "checkout-phone-vi.png")
    page.get_by_role("button", name="Đặt hàng").click()
    page.wait_for_url("**/orders/**")

    order = Order.objects.get()
    assert (order.phone, order.province, order.ward, order.ward_code) == (
        "+84912345678",
        "Thành phố Hà Nội",
        "Phường Hoàn Kiếm",
        "70",
    )
    assert page.locator(".line .choices li").all_inner_texts() == CHOICES
    assert thumbnails_loaded(page) == [256]
    assert page.locator("#delivery-address").inner_text() == (
        "Nguyễn Thị Ánh · +84912345678\n12 Lý Thái Tổ, Phường Hoàn Kiếm, Thành phố Hà Nội"
    )
    fits(page)
    shoot(page, "confirmation-phone-vi.png")
    context.close()


def test_checkout_without_javascript_lists_the_wards_after_the_province(browser, live_server):
    call_command("demo", "--noserve", verbosity=0)
    context, page = open_cart(browser, live_server, javascript=False)
    page.goto("/checkout/")
    fill_who(page)
    page.get_by_label("Tỉnh/Thành phố").select_option(label="Thành phố Hồ Chí Minh")
    page.get_by_role("button", name="Xem phường/xã").click()
    page.get_by_label("Phường/xã").select_option(label="Phường Sài Gòn")
    assert page.get_by_label("Họ và tên").input_value() == "Nguyễn Thị Ánh"
    page.get_by_label("Số nhà, tên đường").fill("5 Nguyễn Huệ")
    fits(page)
    page.get_by_role("button", name="Đặt hàng").click()
    page.wait_for_url("**/orders/**")
    order = Order.objects.get()
    assert (order.province_code, order.ward, order.ward_code) == ("79", "Phường Sài Gòn", "26740")
    context.close()


def test_my_designs_and_account_history_on_a_phone(browser, live_server, django_user_model):
    call_command("demo", "--noserve", verbosity=0)
    django_user_model.objects.create_user("anh", "anh@example.vn", "mat-khau-2026")
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("anh")
    page.locator("#id_password").fill("mat-khau-2026")
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/designs/")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    headers = {"X-CSRFToken": token, "Referer": f"{live_server.url}/designs/"}
    body = {"product": "TOTE-01", "selection": SELECTION}
    assert page.request.post("/api/v1/designs/", data=body, headers=headers).status == 201
    assert page.request.post("/api/v1/cart/lines/", data=body, headers=headers).status == 201
    page.goto("/checkout/")
    fill_who(page)
    page.locator("#id_province").select_option("1")
    page.locator("#id_ward").select_option("70")
    page.locator("#id_address").fill("12 Lý Thái Tổ")
    page.get_by_role("button", name="Đặt hàng").click()
    page.wait_for_url("**/orders/**")

    page.goto("/designs/")
    assert page.locator(".line .choices li").all_inner_texts() == CHOICES
    assert thumbnails_loaded(page) == [256]
    fits(page)
    page.goto("/accounts/me/")
    history = page.locator("#purchase-history")
    # The history lists the chosen values (the text itself is not kept in purchase events).
    assert history.locator(".choices li").all_inner_texts() == [
        "Chất liệu: Vải bố",
        "Màu: Xanh đen",
        "Hoa văn: Kẻ sọc",
        "Màu chữ: Vàng đồng",
        "Kiểu chữ: Chữ có chân",
    ]
    assert thumbnails_loaded(page) == [256]
    fits(page)
    shoot(page, "account-phone-vi.png")
    context.close()
