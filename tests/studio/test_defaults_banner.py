"""The studio says what its pre-selection rests on: nothing personal when personalization
is off or the shopper is a guest."""

from __future__ import annotations

import json
import re

import pytest

from configurator.personalization.defaults import proposal_read
from configurator.personalization.services import customer_for_user, customer_personalization_set
from tests.fixtures.histories import lan_with_history, tote_publish

pytestmark = pytest.mark.django_db

PERSONAL_BANNER = {
    "vi": "Chọn sẵn theo các đơn trước của bạn",
    "en": "Pre-selected from your past orders",
}
POPULAR_BANNER = {
    "vi": "Chọn sẵn theo lựa chọn của khách mua sản phẩm này.",
    "en": "Pre-selected from what shoppers of this product choose.",
}
POPULAR_REASON = {
    "vi": "Được chọn nhiều nhất cho sản phẩm này.",
    "en": "Most chosen by shoppers of this product.",
}


@pytest.fixture
def lan(django_user_model, django_capture_on_commit_callbacks):
    tote_publish(django_capture_on_commit_callbacks)
    return lan_with_history(django_user_model)


def studio(client, language):
    page = client.get("/studio/TOTE-01/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    match = re.search(r'<script id="studio-state" type="application/json">(.*?)</script>', page)
    return page, json.loads(match[1])


@pytest.mark.parametrize("language", ["vi", "en"])
def test_with_personalization_off_nothing_personal_is_said(client, lan, language):
    customer_personalization_set(customer=customer_for_user(lan), enabled=False)
    client.force_login(lan)
    page, state = studio(client, language)
    assert PERSONAL_BANNER[language] not in page
    assert POPULAR_BANNER[language] in page
    assert (state["personalized"], state["defaults_basis"]) == (False, "popular")
    assert state["selection"] == {"material": "canvas", "color": "brown"}
    assert state["reasons"] == {
        "material": POPULAR_REASON[language],
        "color": POPULAR_REASON[language],
    }
    assert proposal_read(token=state["defaults_token"], sku="TOTE-01") == {
        "material": {"value": "canvas", "source": "popular"},
        "color": {"value": "brown", "source": "popular"},
    }


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_guest_is_told_of_popularity_not_of_past_orders(client, lan, language):
    page, state = studio(client, language)
    assert PERSONAL_BANNER[language] not in page
    assert POPULAR_BANNER[language] in page
    assert (state["personalized"], state["defaults_basis"]) == (False, "popular")


def test_with_personalization_on_the_banner_and_reason_are_personal(client, lan):
    client.force_login(lan)
    page, state = studio(client, "en")
    assert PERSONAL_BANNER["en"] in page
    assert POPULAR_BANNER["en"] not in page
    assert (state["personalized"], state["defaults_basis"]) == (True, "personal")
    assert state["reasons"]["color"] == "You chose Navy in 3 of your last 3 orders."
