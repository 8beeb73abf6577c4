"""A store's staff member finds a customer, designs with their defaults and hands the design
over by QR code; the customer's phone opens it and puts it in the cart."""

from __future__ import annotations

import io
import os

import pytest

from configurator.orders.models import CartLine
from configurator.personalization.services import customer_for_user
from tests.fixtures.histories import LAN_EMAIL, lan_with_history, store_purchases, tote_publish
from tests.fixtures.staff import STAFF_PASSWORD, staff_member
from tests.fixtures.studio import studio_step_to

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("STAFF_SHOTS")  # a folder: the test leaves its screenshots there


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def fits(page) -> None:
    """Nothing wider than the screen: no sideways scrolling on a phone."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], page.url


def refusals(page) -> list[str]:
    """What the Content Security Policy refused on the page (nothing, on these pages)."""
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return refused


def qr_text(png: bytes) -> str:
    """What a phone's camera reads from the QR code on the staff's screen."""
    import zxingcpp
    from PIL import Image

    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(found) == 1
    return found[0].text


@pytest.fixture
def shop(django_user_model, django_capture_on_commit_callbacks):
    tote_publish(django_capture_on_commit_callbacks)
    lan = lan_with_history(django_user_model)  # three navy totes bought in store
    customer_for_user(lan)
    store_purchases("khach3", "red", 1)
    return {"lan": lan, "thu": staff_member(django_user_model, "thu")}


def test_staff_finds_a_customer_designs_with_her_defaults_and_hands_it_over_by_qr(
    page_for, live_server, shop
):
    from playwright.sync_api import expect

    staff = page_for(locale="vi-VN", viewport=PHONE)
    refused = refusals(staff)
    staff.goto("/staff/")
    staff.wait_for_url("**/accounts/login/?next=/staff/")
    staff.locator("#id_username").fill("thu")
    staff.locator("#id_password").fill(STAFF_PASSWORD)
    staff.locator("#id_password").press("Enter")
    staff.wait_for_url("**/staff/")

    staff.locator("#id_query").fill("0999 000 111")
    staff.locator("#find").click()
    staff.locator("#not-found").wait_for()
    fits(staff)
    staff.locator("#id_query").fill(" LAN@example.vn ")
    staff.locator("#find").click()
    staff.wait_for_url("**/staff/customers/*/")
    assert staff.locator("#customer-name").inner_text() == LAN_EMAIL
    card = staff.locator("#proposal-TOTE-01")
    assert card.locator("dd").all_inner_texts() == [
        "Vải bố\nBạn đã chọn Vải bố trong 3/3 đơn gần nhất.",
        "Xanh đen\nBạn đã chọn Xanh đen trong 3/3 đơn gần nhất.",
    ]
    assert staff.locator("#history li").count() == 3
    assert staff.locator("#channels").inner_text() == "Tại cửa hàng: 3"
    fits(staff)
    shot(staff, "staff-1-customer-390.png")

    staff.locator("#studio-TOTE-01").click()
    staff.wait_for_url("**/studio/TOTE-01/?for=*")
    staff.locator("#color--navy").wait_for(state="attached")
    assert staff.locator("#color--navy").is_checked()
    assert staff.locator("#acting").inner_text().startswith(f"Bạn đang thiết kế cho {LAN_EMAIL}.")
    assert not staff.locator("#add-to-cart").is_visible()  # the staff's own cart: hidden
    assert staff.locator("#bar-handover").is_visible()  # the bar hands over instead
    studio_step_to(staff, "#color--red")  # a phone shows one step at a time
    staff.locator("#color--red").check()  # Lan prefers red today
    staff.locator("#price-total").wait_for()
    expect(staff.locator("#color--red")).to_be_checked()
    studio_step_to(staff, "#monogram--text")
    staff.locator("#monogram--text").fill("Lan")
    fits(staff)
    shot(staff, "staff-2-studio-390.png")
    staff.locator("#handover-link").click()
    staff.wait_for_url("**/staff/handover/*/")
    fits(staff)
    shot(staff, "staff-3-qr-390.png")

    encoded = qr_text(staff.locator("#qr svg").screenshot())
    assert encoded == staff.locator("#qr").get_attribute("data-url")
    assert encoded.startswith(f"{live_server.url}/h/")

    phone = page_for(locale="vi-VN", viewport=PHONE)  # Lan's phone: not signed in
    refused_on_phone = refusals(phone)
    phone.goto(encoded)
    assert phone.locator("#design-product").inner_text() == "Túi tote vải"
    assert phone.locator("#design-choices dd").all_inner_texts() == ["Vải bố", "Đỏ", "“Lan”"]
    assert phone.locator("#design-price").inner_text().replace("\xa0", " ") == "380.000 ₫"
    phone.locator(".staff-preview").evaluate("img => img.decode()")  # the preview is drawn
    fits(phone)
    shot(phone, "staff-4-phone-received-390.png")
    phone.locator("#received-add").click()
    phone.wait_for_url("**/cart/")
    line = CartLine.objects.get()
    assert (line.staff, line.selection) == (
        shop["thu"],
        {"material": "canvas", "color": "red", "monogram": "Lan"},
    )
    shot(phone, "staff-5-phone-cart-390.png")
    assert (refused, refused_on_phone) == ([], [])


def test_staff_pages_fit_a_tablet_and_a_desktop(page_for, live_server, shop):
    for viewport in ({"width": 820, "height": 1180}, {"width": 1366, "height": 900}):
        page = page_for(locale="en-US", viewport=viewport)
        page.goto("/accounts/login/?next=/staff/")
        page.locator("#id_username").fill("thu")
        page.locator("#id_password").fill(STAFF_PASSWORD)
        page.locator("#id_password").press("Enter")
        page.wait_for_url("**/staff/")
        page.locator("#id_query").fill(LAN_EMAIL)
        page.locator("#find").click()
        page.wait_for_url("**/staff/customers/*/")
        assert page.locator("#proposal-TOTE-01 h3").inner_text() == "Canvas tote bought before"
        fits(page)
        shot(page, f"staff-customer-{viewport['width']}.png")
