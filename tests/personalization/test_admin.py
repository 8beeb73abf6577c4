"""The merchant admin: customers, events, product switches, and the purchase-events upload."""

from __future__ import annotations

import gzip

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from configurator.personalization.models import (
    Customer,
    ProductSetting,
    ProductValueStat,
    PurchaseEvent,
)

pytestmark = pytest.mark.django_db

URL = "/admin/personalization/purchaseevent/import/"
HEADER = "customer,timestamp,order,channel,product,sku,quantity,option:color\n"
GOOD = (
    HEADER
    + "lan@example.vn,2026-01-05T10:00:00Z,S1,store,TOTE-01,T1,1,navy\n"
    + "lan@example.vn,2026-02-05T10:00:00Z,S2,store,TOTE-01,T1,1,navy\n"
    + "khach2,2026-02-06T10:00:00Z,S3,marketplace,TOTE-01,T1,2,brown\n"
)
BAD = (
    HEADER
    + "an,2026-03-01T10:00:00Z,B1,store,TOTE-01,T1,1,red\n"
    + "an,not-a-time,B2,store,TOTE-01,T1,1,red\n"
    + ",2026-03-01T10:00:00Z,B3,store,TOTE-01,T1,1,red\n"
    + "an,2026-03-01T10:00:00Z,B4,store,TOTE-01,T1,lots,red\n"
)


@pytest.fixture(autouse=True)
def _english_admin(admin_client):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def upload(text: str, name: str = "events.csv", gz: bool = False) -> SimpleUploadedFile:
    data = text.encode()
    return SimpleUploadedFile(name, gzip.compress(data) if gz else data, "text/csv")


def events() -> list[tuple[str, str, str]]:
    return sorted(PurchaseEvent.objects.values_list("customer__external_id", "order", "channel"))


def test_pages_render_for_staff(admin_client):
    Customer.objects.create(external_id="lan@example.vn", email="lan@example.vn")
    ProductSetting.objects.create(product="TOTE-01", personalization_enabled=False)
    for url in [
        "/admin/personalization/customer/",
        "/admin/personalization/customer/?q=lan",
        f"/admin/personalization/customer/{Customer.objects.get().pk}/change/",
        "/admin/personalization/purchaseevent/",
        "/admin/personalization/purchaseevent/?channel__exact=store",
        "/admin/personalization/productsetting/",
        URL,
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_the_event_list_links_to_the_upload_and_shows_no_add_button(admin_client):
    page = admin_client.get("/admin/personalization/purchaseevent/").content.decode()
    assert f'href="{URL}"' in page
    assert "/admin/personalization/purchaseevent/add/" not in page


def test_customers_show_their_event_count_and_the_switch_is_editable(admin_client):
    admin_client.post(URL, {"file": upload(GOOD)})
    page = admin_client.get("/admin/personalization/customer/?q=lan@example").content.decode()
    assert '<td class="field-event_count">2</td>' in page
    lan = Customer.objects.get(external_id="lan@example.vn")
    response = admin_client.post(
        "/admin/personalization/customer/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(lan.pk),
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    lan.refresh_from_db()
    assert lan.personalization_enabled is False  # unticked box


def test_upload_adds_the_events_and_a_reupload_adds_nothing(admin_client):
    page = admin_client.post(URL, {"file": upload(GOOD)}).content.decode()
    assert (
        '<p id="import-result"><strong>3</strong> events added, <strong>0</strong> already '
        "present, 2 new customers.</p>"
    ) in page
    assert events() == [
        ("khach2", "S3", "marketplace"),
        ("lan@example.vn", "S1", "store"),
        ("lan@example.vn", "S2", "store"),
    ]
    assert ProductValueStat.objects.get(product="TOTE-01", value="navy").count == 2
    again = admin_client.post(URL, {"file": upload(GOOD, "events.csv.gz", gz=True)})
    assert (
        "<strong>0</strong> events added, <strong>3</strong> already present, 0 new customers."
    ) in again.content.decode()
    assert PurchaseEvent.objects.count() == 3
    assert ProductValueStat.objects.get(product="TOTE-01", value="navy").count == 2


def test_bad_lines_are_listed_with_their_numbers_and_not_written(admin_client):
    page = admin_client.post(URL, {"file": upload(BAD)}).content.decode()
    assert "<strong>1</strong> events added" in page
    assert '<h2 id="bad-count">3 bad lines, not imported.</h2>' in page
    assert (
        "<tr><td>3</td><td><code>events.E002</code></td><td>unreadable time “not-a-time”</td></tr>"
        "<tr><td>4</td><td><code>events.E001</code></td><td>missing customer</td></tr>"
        "<tr><td>5</td><td><code>events.E003</code></td><td>quantity “lots” is not a number</td>"
        "</tr>"
    ) in page
    assert events() == [("an", "B1", "store")]


def test_a_strict_upload_with_a_bad_line_writes_nothing(admin_client):
    page = admin_client.post(URL, {"file": upload(BAD), "strict": "on"}).content.decode()
    assert '<h2 id="bad-count">3 bad lines; nothing was written.</h2>' in page
    assert 'id="import-result"' not in page
    assert PurchaseEvent.objects.count() == 0
    assert Customer.objects.count() == 0
    assert ProductValueStat.objects.count() == 0


def test_a_file_without_the_required_columns_is_refused(admin_client):
    page = admin_client.post(URL, {"file": upload("customer,order\nx,1\n")}).content.decode()
    assert "line 1: missing column(s): timestamp, product [events.E004]" in page
    assert PurchaseEvent.objects.count() == 0


def test_other_file_types_are_refused(admin_client):
    page = admin_client.post(URL, {"file": upload(GOOD, "events.xlsx")}).content.decode()
    assert "File extension “xlsx” is not allowed." in page
    assert PurchaseEvent.objects.count() == 0


def test_non_staff_are_sent_to_the_login(client, django_user_model):
    user = django_user_model.objects.create_user("shopper", password="x-123456789")
    client.force_login(user)
    response = client.post(URL, {"file": upload(GOOD)})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert PurchaseEvent.objects.count() == 0


def test_staff_without_the_add_permission_are_refused(client, django_user_model):
    user = django_user_model.objects.create_user("clerk", password="x-123456789", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_purchaseevent"))
    client.force_login(user)
    assert client.post(URL, {"file": upload(GOOD)}).status_code == 403
    assert PurchaseEvent.objects.count() == 0
    page = client.get("/admin/personalization/purchaseevent/").content.decode()
    assert URL not in page


def test_staff_with_the_add_permission_may_upload(client, django_user_model):
    user = django_user_model.objects.create_user("erp", password="x-123456789", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_purchaseevent"))
    client.force_login(user)
    response = client.post(URL, {"file": upload(GOOD)}, HTTP_ACCEPT_LANGUAGE="en")
    assert "<strong>3</strong> events added" in response.content.decode()
    assert PurchaseEvent.objects.count() == 3
