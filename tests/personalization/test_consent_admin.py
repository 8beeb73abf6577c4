"""The merchant's admin: the settings row, notices added as new versions, consents and
retention runs read-only, the last run's counts beside the setting."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from configurator.personalization.consent import consent_record
from configurator.personalization.models import (
    ConsentNotice,
    ConsentRecord,
    Customer,
    PersonalizationSettings,
    RetentionRun,
)

pytestmark = pytest.mark.django_db

SETTINGS = "/admin/personalization/personalizationsettings/"


@pytest.fixture(autouse=True)
def _english_admin(admin_client):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_the_settings_list_opens_the_one_row(admin_client):
    response = admin_client.get(SETTINGS)
    assert (response.status_code, response["Location"]) == (302, f"{SETTINGS}1/change/")
    html = admin_client.get(f"{SETTINGS}1/change/").content.decode()
    assert "Opt-in: nothing personal until the shopper agrees" in html
    assert "Not run yet." in html


def test_the_merchant_switches_to_opt_out_and_shorter_retention(admin_client):
    response = admin_client.post(
        f"{SETTINGS}1/change/", {"consent_regime": "opt_out", "retention_months": "12"}
    )
    assert response.status_code == 302
    row = PersonalizationSettings.current()
    assert (row.consent_regime, row.retention_months) == ("opt_out", 12)


def test_a_retention_period_of_zero_months_is_refused(admin_client):
    response = admin_client.post(
        f"{SETTINGS}1/change/", {"consent_regime": "opt_in", "retention_months": "0"}
    )
    assert response.status_code == 200
    assert PersonalizationSettings.current().retention_months == 24


def test_the_last_run_is_shown_with_its_counts(admin_client):
    RetentionRun.objects.create(
        started_at=datetime(2026, 12, 1, 20, 0, tzinfo=UTC),
        months=24,
        cutoff=datetime(2024, 12, 1, 20, 0, tzinfo=UTC),
        events_deleted=1234,
        profiles_rebuilt=5,
        profiles_cleared=6,
        customers_deleted=7,
    )
    html = admin_client.get(f"{SETTINGS}1/change/").content.decode()
    assert "1234 purchases deleted" in html
    assert "5 preferences recomputed, 6 emptied, 7 customers deleted." in html
    assert admin_client.get("/admin/personalization/retentionrun/").status_code == 200


def test_a_new_notice_becomes_the_next_version(admin_client):
    response = admin_client.post(
        "/admin/personalization/consentnotice/add/",
        {"purpose": "personalization", "text_vi": "Bản mới.", "text_en": "New text."},
    )
    assert response.status_code == 302
    assert list(
        ConsentNotice.objects.filter(purpose="personalization").values_list("version", "text_en")
    ) == [
        (2, "New text."),
        (1, ConsentNotice.objects.get(purpose="personalization", version=1).text_en),
    ]


def test_a_published_notice_cannot_be_edited(admin_client):
    notice = ConsentNotice.objects.get(purpose="marketing", version=1)
    before = notice.text_en
    admin_client.post(
        f"/admin/personalization/consentnotice/{notice.pk}/change/",
        {"purpose": "marketing", "text_vi": "Sửa.", "text_en": "Edited."},
    )
    notice.refresh_from_db()
    assert notice.text_en == before


def test_consents_are_listed_read_only_and_on_the_customer(admin_client):
    customer = Customer.objects.create(external_id="lan@example.vn", email="lan@example.vn")
    consent_record(
        customer=customer,
        purpose="marketing",
        granted=True,
        channel="store",
        message_channels=["zalo"],
    )
    record = ConsentRecord.objects.get()
    assert admin_client.get("/admin/personalization/consentrecord/?q=lan").status_code == 200
    assert admin_client.get("/admin/personalization/consentrecord/add/").status_code == 403
    admin_client.post(f"/admin/personalization/consentrecord/{record.pk}/change/", {"granted": ""})
    assert ConsentRecord.objects.get().granted is True
    html = admin_client.get(
        f"/admin/personalization/customer/{customer.pk}/change/"
    ).content.decode()
    assert "Offers and news" in html and "zalo" in html
