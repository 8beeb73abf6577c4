"""Consent, as the law asks: the regime, records, withdrawal at once, the studio's offer."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest

from configurator.errors import ApplicationError
from configurator.personalization.consent import (
    consent_record,
    may_personalize,
    message_preferences_set,
    notice_get,
    notice_publish,
)
from configurator.personalization.models import (
    ConsentNotice,
    ConsentRecord,
    ConsentRegime,
    Customer,
    PersonalizationSettings,
)
from configurator.personalization.services import customer_for_user, customer_personalization_set
from tests.fixtures.consent import regime_set
from tests.fixtures.histories import LAN_EMAIL, PASSWORD, store_purchases, tote_publish

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
NAVY_REASON = "You chose Navy in 3 of your last 3 orders."


@pytest.fixture
def lan(django_user_model, django_capture_on_commit_callbacks):
    """Lan bought three navy totes in store and has not been asked yet; others buy brown."""
    tote_publish(django_capture_on_commit_callbacks)
    user = django_user_model.objects.create_user("lan", LAN_EMAIL, PASSWORD)
    store_purchases(LAN_EMAIL, "navy", 3)
    store_purchases("khach2", "brown", 6)
    return user


def studio(client, url="/studio/TOTE-01/", language="en"):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    match = re.search(r'<script id="studio-state" type="application/json">(.*?)</script>', page)
    return page, json.loads(match[1])


def records():
    return list(
        ConsentRecord.objects.order_by("pk").values_list(
            "customer__external_id",
            "purpose",
            "granted",
            "channel",
            "notice__version",
            "message_channels",
        )
    )


def test_the_default_regime_is_opt_in_keeping_two_years():
    row = PersonalizationSettings.current()
    assert (row.pk, row.consent_regime, row.retention_months) == (1, "opt_in", 24)
    assert PersonalizationSettings.current().pk == 1
    assert PersonalizationSettings.objects.count() == 1


def test_version_one_of_each_notice_is_published_in_both_languages():
    notices = {n.purpose: n for n in ConsentNotice.objects.all()}
    assert sorted(notices) == ["marketing", "personalization"]
    assert notices["personalization"].version == 1
    assert notices["personalization"].text("vi").startswith("Cho phép cửa hàng dùng các đơn")
    assert notices["personalization"].text("en").startswith("Allow the shop to use your past")
    assert notices["marketing"].text("vi").startswith("Nhận ưu đãi và tin tức")


@pytest.mark.parametrize(
    ("regime", "decisions", "expected"),
    [
        (ConsentRegime.OPT_IN, [], False),
        (ConsentRegime.OPT_IN, [True], True),
        (ConsentRegime.OPT_IN, [True, False], False),
        (ConsentRegime.OPT_IN, [False, True], True),
        (ConsentRegime.OPT_OUT, [], True),
        (ConsentRegime.OPT_OUT, [False], False),
        (ConsentRegime.OPT_OUT, [False, True], True),
    ],
)
def test_may_personalize_follows_the_regime_and_the_latest_decision(regime, decisions, expected):
    regime_set(regime)
    customer = Customer.objects.create(external_id="lan@example.vn")
    for granted in decisions:
        consent_record(customer=customer, purpose="personalization", granted=granted, channel="web")
    customer = Customer.objects.get(pk=customer.pk)  # read as a page view reads it
    assert may_personalize(customer) is expected
    # The row holds the latest record's decision, so a page view needs no query for it.
    assert customer.personalization_consent == (decisions[-1] if decisions else None)


def test_a_shopper_who_decided_costs_no_query(django_assert_num_queries):
    customer = Customer.objects.create(external_id="lan@example.vn")
    consent_record(customer=customer, purpose="personalization", granted=True, channel="web")
    customer = Customer.objects.get(pk=customer.pk)
    with django_assert_num_queries(0):
        assert may_personalize(customer) is True
    undecided = Customer.objects.create(external_id="khach2")
    PersonalizationSettings.current()  # made on first read; then one query reads it
    with django_assert_num_queries(1):  # the shop's regime
        assert may_personalize(undecided) is False


def test_nobody_known_is_never_personal():
    regime_set(ConsentRegime.OPT_OUT)
    assert may_personalize(None) is False
    assert may_personalize(Customer(external_id="unsaved")) is False


def test_the_shops_switch_off_beats_a_consent():
    customer = Customer.objects.create(external_id="lan@example.vn")
    consent_record(customer=customer, purpose="personalization", granted=True, channel="store")
    Customer.objects.filter(pk=customer.pk).update(personalization_enabled=False)
    customer.refresh_from_db()
    assert may_personalize(customer) is False


def test_switching_on_in_the_admin_does_not_undo_a_withdrawal():
    regime_set(ConsentRegime.OPT_OUT)
    customer = Customer.objects.create(external_id="lan@example.vn")
    consent_record(customer=customer, purpose="personalization", granted=False, channel="web")
    Customer.objects.filter(pk=customer.pk).update(personalization_enabled=True)
    customer.refresh_from_db()
    assert may_personalize(customer) is False


def test_a_consent_record_keeps_who_what_when_where_and_the_notice(django_user_model):
    staff = django_user_model.objects.create_user("thu-ngan", "tn@example.vn", "pw")
    customer = Customer.objects.create(external_id="lan@example.vn")
    record = consent_record(
        customer=customer,
        purpose="personalization",
        granted=True,
        channel="store",
        recorded_by=staff,
        now=NOW,
    )
    record.refresh_from_db()
    assert (
        record.customer_id,
        record.purpose,
        record.granted,
        record.channel,
        record.notice.version,
        record.message_channels,
        record.recorded_at,
        record.recorded_by_id,
    ) == (customer.pk, "personalization", True, "store", 1, [], NOW, staff.pk)
    customer.refresh_from_db()
    assert customer.personalization_enabled is True


@pytest.mark.parametrize(
    ("purpose", "granted", "channels", "code"),
    [
        ("marketing", True, [], "consent.E002"),
        ("marketing", True, ["email", "fax"], "consent.E003"),
        ("personalization", True, ["email"], "consent.E004"),
    ],
)
def test_a_refused_consent_writes_nothing(purpose, granted, channels, code):
    customer = Customer.objects.create(external_id="lan@example.vn")
    with pytest.raises(ApplicationError) as refused:
        consent_record(
            customer=customer,
            purpose=purpose,
            granted=granted,
            channel="web",
            message_channels=channels,
        )
    assert refused.value.code == code
    assert refused.value.field == "message_channels"
    assert ConsentRecord.objects.count() == 0


def test_a_notice_of_another_purpose_or_an_unknown_version_is_refused():
    customer = Customer.objects.create(external_id="lan@example.vn")
    marketing = ConsentNotice.objects.get(purpose="marketing")
    with pytest.raises(ApplicationError) as refused:
        consent_record(
            customer=customer,
            purpose="personalization",
            granted=True,
            channel="web",
            notice=marketing,
        )
    assert refused.value.code == "consent.E001"
    with pytest.raises(ApplicationError) as unknown:
        notice_get(purpose="personalization", version="7")
    assert unknown.value.code == "consent.E001"
    assert ConsentRecord.objects.count() == 0


def test_a_new_notice_is_the_next_version_and_records_keep_the_one_shown():
    customer = Customer.objects.create(external_id="lan@example.vn")
    shown = notice_get(purpose="personalization", version=1)
    new = notice_publish(
        notice=ConsentNotice(purpose="personalization", text_vi="Bản mới", text_en="New text")
    )
    assert new.version == 2
    consent_record(
        customer=customer, purpose="personalization", granted=True, channel="web", notice=shown
    )
    consent_record(customer=customer, purpose="personalization", granted=False, channel="web")
    assert [r[4] for r in records()] == [1, 2]


def test_message_preferences_are_marketing_consents_recorded_once_per_change():
    customer = Customer.objects.create(external_id="lan@example.vn")
    message_preferences_set(customer=customer, offers=True, channels=["zalo", "email"], now=NOW)
    assert (
        message_preferences_set(customer=customer, offers=True, channels=["email", "zalo"]) is None
    )
    message_preferences_set(customer=customer, offers=False, channels=["sms"])
    assert records() == [
        ("lan@example.vn", "marketing", True, "web", 1, ["email", "zalo"]),
        ("lan@example.vn", "marketing", False, "web", 1, []),
    ]


# The studio and the account page: opt-in shows nothing personal before consent.


def test_opt_in_the_studio_offers_and_shows_nothing_personal_before_consent(client, lan):
    client.force_login(lan)
    page, state = studio(client)
    assert (state["personalized"], state["defaults_basis"]) == (False, "popular")
    assert state["selection"] == {"material": "canvas", "color": "brown"}
    assert "past orders" not in json.dumps(state["reasons"])
    assert 'id="consent-offer"' in page
    assert 'name="notice" value="1"' in page
    assert "Allow the shop to use your past orders" in page  # the notice, in English
    assert ConsentRecord.objects.count() == 0


def test_opt_in_personal_defaults_right_after_consenting_from_the_studio(client, lan):
    client.force_login(lan)
    response = client.post(
        "/accounts/me/personalization/",
        {"personalized_defaults": "on", "notice": "1", "next": "/studio/TOTE-01/"},
    )
    assert (response.status_code, response["Location"]) == (302, "/studio/TOTE-01/")
    page, state = studio(client)
    assert (state["personalized"], state["defaults_basis"]) == (True, "personal")
    assert state["selection"] == {"material": "canvas", "color": "navy"}
    assert state["reasons"]["color"] == NAVY_REASON
    assert 'id="consent-offer"' not in page
    assert records() == [(LAN_EMAIL, "personalization", True, "web", 1, [])]


def test_no_thanks_is_recorded_and_the_offer_is_not_repeated(client, lan):
    client.force_login(lan)
    client.post(
        "/accounts/me/personalization/",
        {"personalized_defaults": "off", "notice": "1", "next": "/studio/TOTE-01/"},
    )
    page, state = studio(client)
    assert state["defaults_basis"] == "popular"
    assert 'id="consent-offer"' not in page
    assert records() == [(LAN_EMAIL, "personalization", False, "web", 1, [])]


def test_withdrawal_takes_effect_on_the_next_request(client, lan):
    client.force_login(lan)
    customer_personalization_set(customer=customer_for_user(lan), enabled=True)
    assert studio(client)[1]["defaults_basis"] == "personal"
    client.post("/accounts/me/personalization/", {"notice": "1"})
    page, state = studio(client)
    assert (state["personalized"], state["defaults_basis"]) == (False, "popular")
    assert state["selection"]["color"] == "brown"
    assert "past orders" not in page
    assert [r[2] for r in records()] == [True, False]


def test_an_unknown_notice_version_records_nothing(client, lan):
    client.force_login(lan)
    response = client.post(
        "/accounts/me/personalization/",
        {"personalized_defaults": "on", "notice": "99", "next": "/studio/TOTE-01/"},
    )
    assert response.status_code == 302
    assert ConsentRecord.objects.count() == 0
    assert studio(client)[1]["defaults_basis"] == "popular"


def test_a_foreign_next_address_is_not_followed(client, lan):
    client.force_login(lan)
    response = client.post(
        "/accounts/me/personalization/",
        {"personalized_defaults": "on", "notice": "1", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/accounts/me/"


def test_opt_out_personal_at_once_and_no_offer(client, lan):
    regime_set(ConsentRegime.OPT_OUT)
    client.force_login(lan)
    page, state = studio(client)
    assert state["defaults_basis"] == "personal"
    assert 'id="consent-offer"' not in page


def test_guests_get_no_offer_and_nothing_personal(client, lan):
    page, state = studio(client)
    assert state["defaults_basis"] == "popular"
    assert 'id="consent-offer"' not in page


def test_the_offer_is_in_vietnamese_on_a_vietnamese_page(client, lan):
    client.force_login(lan)
    page, _ = studio(client, language="vi")
    assert "Cho phép cửa hàng dùng các đơn hàng trước của bạn" in page
    assert "Chọn sẵn tùy chọn theo các đơn trước của bạn?" in page


def test_the_api_switch_records_its_channel(client, lan):
    client.force_login(lan)
    response = client.patch(
        "/api/v1/me/personalization/", {"personalized_defaults": True}, "application/json"
    )
    assert response.json() == {"personalized_defaults": True}
    assert records() == [(LAN_EMAIL, "personalization", True, "api", 1, [])]


def test_without_any_notice_version_one_is_published_again_as_the_migration_has_it():
    from importlib import import_module

    from configurator.personalization.consent import FIRST_NOTICES, current_notice

    migration = import_module("configurator.personalization.migrations.0004_consent")
    assert {p: (vi, en) for p, vi, en in migration.NOTICES} == {
        str(k): v for k, v in FIRST_NOTICES.items()
    }
    ConsentNotice.objects.all().delete()
    notice = current_notice("personalization")
    assert (notice.version, notice.text_vi, notice.text_en) == (
        1,
        *FIRST_NOTICES["personalization"],
    )
