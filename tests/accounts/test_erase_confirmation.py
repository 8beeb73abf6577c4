"""The account page's erase: it keeps the shopper's opt-out, and refuses, saying why in the
page's language, when the confirmation box is not ticked."""

from __future__ import annotations

import pytest

from configurator.personalization.models import Customer, PurchaseEvent
from tests.fixtures.histories import LAN_EMAIL, lan_with_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def lan(client, django_user_model):
    user = lan_with_history(django_user_model)
    client.force_login(user)
    return user


def test_erase_from_the_page_keeps_the_opt_out(client, lan):
    client.post("/accounts/me/personalization/", {})  # the box unticked: switched off
    response = client.post("/accounts/me/erase/", {"confirm": "on"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert not PurchaseEvent.objects.filter(customer__user=lan).exists()
    assert list(Customer.objects.filter(user=lan).values_list("personalization_enabled")) == [
        (False,)
    ]
    page = client.get("/accounts/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="personalized-defaults">' in page  # still unticked
    assert 'id="no-history"' in page


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "vi",
            "Hãy đánh dấu ô “Tôi muốn xóa lịch sử mua hàng” để xóa. Chưa có gì bị xóa.",
        ),
        ("en", "Tick “I want my purchase history erased” to erase it. Nothing was erased."),
    ],
)
def test_erase_without_ticking_says_why_beside_the_box_and_erases_nothing(
    client, lan, language, sentence
):
    before = Customer.objects.get(external_id=LAN_EMAIL)
    response = client.post("/accounts/me/erase/", {}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        '<input type="checkbox" name="confirm" id="erase-confirm" required aria-invalid="true"'
        ' aria-describedby="erase-confirm-error">'
    ) in page
    assert f'<p class="field-error" id="erase-confirm-error" role="alert">{sentence}</p>' in page
    after = Customer.objects.get(external_id=LAN_EMAIL)
    assert (after.pk, after.personalization_enabled, after.profile) == (
        before.pk,
        True,
        before.profile,
    )
    assert PurchaseEvent.objects.filter(customer=after).count() == 3
    assert 'id="purchase-history"' in page
