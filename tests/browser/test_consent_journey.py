"""Opt-in, on a phone: nothing personal before the shopper agrees, their own defaults right
after they agree in the studio's offer; withdrawing on the account page stops them at once."""

from __future__ import annotations

import os

import pytest

from configurator.personalization.models import ConsentRecord
from tests.fixtures.histories import LAN_EMAIL, PASSWORD, store_purchases

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("STUDIO_SHOTS")  # a folder: the test leaves its screenshots there


@pytest.fixture
def lan(tote, django_user_model):
    """Lan bought three navy totes in store and was never asked; other shoppers buy brown."""
    user = django_user_model.objects.create_user("lan", LAN_EMAIL, PASSWORD)
    store_purchases(LAN_EMAIL, "navy", 3)
    store_purchases("khach2", "brown", 6)
    return user


def sign_in(page) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("lan")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/designs/")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def reason_of(page, group: str) -> str:
    reason = page.locator(f"#group-{group} .group__reason")
    return reason.inner_text() if reason.count() else ""


def width_overflow(page) -> list[str]:
    return page.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)"
        ".map(e => e.tagName + '.' + e.className)"
    )


@pytest.mark.parametrize(
    ("locale", "accept", "personal_banner", "personal_reason"),
    [
        (
            "en-US",
            "Yes, use my orders",
            "Pre-selected from your past orders and what shoppers choose.",
            "You chose Navy in 3 of your last 3 orders.",
        ),
        (
            "vi-VN",
            "Đồng ý, dùng các đơn của tôi",
            "Chọn sẵn theo các đơn trước của bạn và lựa chọn của khách.",
            "Bạn đã chọn Xanh đen trong 3/3 đơn gần nhất.",
        ),
    ],
)
def test_opt_in_nothing_personal_before_consent_and_personal_right_after(
    page_for, lan, locale, accept, personal_banner, personal_reason
):
    page = page_for(locale=locale, viewport=PHONE)
    sign_in(page)

    page.goto("/studio/TOTE-01/")
    page.locator("#color--brown").wait_for(state="attached")
    assert page.locator("#color--brown").is_checked()  # what shoppers choose, not Lan's navy
    assert personal_banner not in page.locator("body").inner_text()
    assert page.locator("#consent-offer").is_visible()
    assert page.locator("#groups").is_visible()  # the offer blocks nothing
    assert width_overflow(page) == []
    shot(page, f"consent-before-{locale}.png")

    page.get_by_role("button", name=accept).click()
    page.wait_for_url("**/studio/TOTE-01/")
    page.locator("#color--navy").wait_for(state="attached")
    assert page.locator("#color--navy").is_checked()
    assert page.locator("#defaults-basis").inner_text().startswith(personal_banner)
    assert reason_of(page, "color") == personal_reason
    assert page.locator("#consent-offer").count() == 0
    assert width_overflow(page) == []
    shot(page, f"consent-after-{locale}.png")
    assert list(
        ConsentRecord.objects.values_list("purpose", "granted", "channel", "notice__version")
    ) == [("personalization", True, "web", 1)]

    # Withdrawn on the account page: the next studio page is not personal.
    page.goto("/accounts/me/")
    page.locator("#personalized-defaults").uncheck()
    page.locator("#save-personalization").click()
    page.locator(".messages").wait_for()
    shot(page, f"consent-account-{locale}.png")
    page.goto("/studio/TOTE-01/")
    page.locator("#color--brown").wait_for(state="attached")
    assert page.locator("#color--brown").is_checked()
    assert personal_banner not in page.locator("body").inner_text()
    assert page.locator("#consent-offer").count() == 0  # she decided: not asked again
