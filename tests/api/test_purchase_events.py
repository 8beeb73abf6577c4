"""POST /api/v1/purchase-events/: a till or an ERP sends purchase lines; all or nothing."""

from __future__ import annotations

import gzip

import pytest
from django.contrib.auth.models import Permission
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from configurator.personalization.models import Customer, ProductValueStat, PurchaseEvent

pytestmark = pytest.mark.django_db

URL = "/api/v1/purchase-events/"
HEADER = "customer,timestamp,order,channel,product,sku,quantity,option:color\n"
GOOD = (
    HEADER
    + "lan@example.vn,2026-01-05T10:00:00Z,R1,store,TOTE-01,T1,1,navy\n"
    + "lan@example.vn,2026-02-05T10:00:00Z,R2,store,TOTE-01,T1,1,navy\n"
    + "khach2,2026-02-06T10:00:00Z,R3,store,TOTE-01,T1,2,brown\n"
)
BAD = (
    HEADER
    + "an,2026-03-01T10:00:00Z,B1,store,TOTE-01,T1,1,red\n"
    + "an,not-a-time,B2,store,TOTE-01,T1,1,red\n"
    + "an,2026-03-01T10:00:00Z,B3,store,TOTE-01,T1,1,red\n"
    + ",2026-03-01T10:00:00Z,B4,store,TOTE-01,T1,1,red\n"
)


@pytest.fixture
def till(django_user_model) -> APIClient:
    user = django_user_model.objects.create_user("till-1", password="x-123456789")
    user.user_permissions.add(Permission.objects.get(codename="add_purchaseevent"))
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def post_csv(client: APIClient, text: str | bytes, **extra):
    body = text.encode() if isinstance(text, str) else text
    return client.post(URL, body, content_type="text/csv", **extra)


def stored() -> list[tuple[str, str, str, dict]]:
    return sorted(
        PurchaseEvent.objects.values_list("customer__external_id", "order", "channel", "options")
    )


def nothing_stored() -> bool:
    return (
        PurchaseEvent.objects.count() == Customer.objects.count() == 0
        and ProductValueStat.objects.count() == 0
    )


def test_a_csv_body_is_stored_and_a_resend_adds_nothing(till):
    response = post_csv(till, GOOD)
    assert (response.status_code, response.json()) == (201, {"added": 3, "duplicates": 0})
    assert stored() == [
        ("khach2", "R3", "store", {"color": "brown"}),
        ("lan@example.vn", "R1", "store", {"color": "navy"}),
        ("lan@example.vn", "R2", "store", {"color": "navy"}),
    ]
    assert ProductValueStat.objects.get(product="TOTE-01", value="navy").count == 2
    profile = Customer.objects.get(external_id="lan@example.vn").profile
    again = post_csv(till, GOOD)
    assert (again.status_code, again.json()) == (200, {"added": 0, "duplicates": 3})
    assert PurchaseEvent.objects.count() == 3
    assert ProductValueStat.objects.get(product="TOTE-01", value="navy").count == 2
    assert Customer.objects.get(external_id="lan@example.vn").profile == profile


def test_a_gzipped_csv_body_is_read(till):
    response = post_csv(till, gzip.compress(GOOD.encode()))
    assert (response.status_code, response.json()) == (201, {"added": 3, "duplicates": 0})


def test_a_partial_resend_adds_only_the_new_lines(till):
    post_csv(till, HEADER + GOOD.splitlines(keepends=True)[1])
    response = post_csv(till, GOOD)
    assert (response.status_code, response.json()) == (201, {"added": 2, "duplicates": 1})
    assert PurchaseEvent.objects.count() == 3


def test_one_bad_line_and_nothing_of_the_request_is_written(till):
    response = post_csv(till, BAD)
    assert response.status_code == 400
    assert response.json() == {
        "code": "events.E002",
        "detail": "line 3: unreadable time “not-a-time” (2 bad lines; nothing was written).",
        "field": "line 3",
        "errors": [
            {"code": "events.E002", "detail": "unreadable time “not-a-time”", "field": "line 3"},
            {"code": "events.E001", "detail": "missing customer", "field": "line 5"},
        ],
    }
    assert nothing_stored()


def test_a_body_without_the_required_columns_is_refused(till):
    response = post_csv(till, "customer,order\nx,1\n")
    assert (response.status_code, response.json()) == (
        400,
        {
            "code": "events.E004",
            "detail": "line 1: missing column(s): timestamp, product",
            "field": "line 1",
        },
    )
    assert post_csv(till, "").json()["code"] == "events.E004"
    assert nothing_stored()


def test_a_body_that_is_not_utf8_is_refused(till):
    response = post_csv(
        till, HEADER.encode() + "an,2026-01-01,1,store,P,S,1,bleu clair é\n".encode("latin-1")
    )
    assert (response.status_code, response.json()["code"]) == (400, "events.E005")
    assert nothing_stored()


def test_json_events_use_the_same_columns(till):
    events = [
        {
            "customer": "lan@example.vn",
            "timestamp": "2026-01-05T10:00:00Z",
            "order": "R1",
            "channel": "store",
            "product": "TOTE-01",
            "quantity": 1,
            "option:color": "navy",
        },
        {
            "customer": "khach2",
            "timestamp": "2026-02-06T10:00:00Z",
            "order": "R3",
            "product": "TOTE-01",
            "option:color": None,
        },
    ]
    response = till.post(URL, {"events": events}, format="json")
    assert (response.status_code, response.json()) == (201, {"added": 2, "duplicates": 0})
    assert stored() == [
        ("khach2", "R3", "import", {}),
        ("lan@example.vn", "R1", "store", {"color": "navy"}),
    ]
    again = till.post(URL, {"events": events}, format="json")
    assert (again.status_code, again.json()) == (200, {"added": 0, "duplicates": 2})


def test_bad_json_events_are_named_by_their_index_and_nothing_is_written(till):
    events = [
        {"customer": "an", "timestamp": "2026-03-01", "order": "B1", "product": "TOTE-01"},
        {"customer": "an", "timestamp": "2026-03-01", "order": "B2"},
    ]
    response = till.post(URL, {"events": events}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"code": "events.E001", "detail": "missing product", "field": "events.1"}
    ]
    assert nothing_stored()


def test_a_json_body_of_the_wrong_shape_is_refused(till):
    response = till.post(URL, {"events": [["an", "2026-03-01"]]}, format="json")
    assert (response.status_code, response.json()["code"], response.json()["field"]) == (
        400,
        "request.not_a_dict",
        "events.0",
    )
    assert nothing_stored()


def test_without_credentials_the_answer_is_401(client):
    response = client.post(URL, GOOD.encode(), content_type="text/csv")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "request.not_authenticated"
    assert nothing_stored()


def test_a_wrong_token_is_refused(client):
    response = client.post(
        URL, GOOD.encode(), content_type="text/csv", HTTP_AUTHORIZATION="Token not-a-token"
    )
    assert (response.status_code, response.json()["code"]) == (401, "request.authentication_failed")
    assert nothing_stored()


def test_without_the_permission_the_answer_is_403(django_user_model):
    user = django_user_model.objects.create_user("shopper", password="x-123456789")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    response = post_csv(client, GOOD)
    assert (response.status_code, response.json()["code"]) == (403, "request.permission_denied")
    assert nothing_stored()


def test_a_staff_session_with_the_permission_may_send(admin_client):
    response = admin_client.post(URL, GOOD.encode(), content_type="text/csv")
    assert (response.status_code, response.json()) == (201, {"added": 3, "duplicates": 0})


def test_other_content_types_are_refused(till):
    response = till.post(URL, GOOD.encode(), content_type="application/xml")
    assert (response.status_code, response.json()["code"]) == (
        415,
        "request.unsupported_media_type",
    )
    assert nothing_stored()


def test_the_schema_documents_the_endpoint(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/purchase-events/"]["post"]
    assert sorted(operation["requestBody"]["content"]) == ["application/json", "text/csv"]
    assert sorted(operation["responses"]) == ["200", "201", "400", "401", "403", "413", "415"]


CELLS = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["", "2026-01-01", "2026-01-01T10:00:00+07:00", "TOTE-01", "navy", "1", "x" * 300]
)


@pytest.mark.slow  # 60 generated requests
@given(
    columns=st.lists(
        st.sampled_from(
            [
                "customer",
                "timestamp",
                "order",
                "product",
                "quantity",
                "sku",
                "currency",
                "option:color",
                "option:",
                "channel",
                "other",
            ]
        ),
        min_size=1,
        max_size=8,
    ),
    rows=st.lists(st.lists(CELLS, min_size=8, max_size=8), max_size=5),
)
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_whatever_a_till_sends_the_answer_is_counts_or_a_400(till, columns, rows):
    events = [dict(zip(columns, row, strict=False)) for row in rows]
    before = PurchaseEvent.objects.count()
    response = till.post(URL, {"events": events}, format="json")
    assert response.status_code in (200, 201, 400), response.content
    if response.status_code == 400:
        assert PurchaseEvent.objects.count() == before
    else:
        assert PurchaseEvent.objects.count() == before + response.json()["added"]
