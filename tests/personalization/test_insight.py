"""Merchant insight: which pre-selected defaults shoppers keep, and each value's take rate."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import Permission

from catalog.models import Product
from configurator.orders.models import Order, OrderStatus
from configurator.personalization.defaults import proposal_read
from configurator.personalization.imports import purchase_events_import
from configurator.personalization.insight import Rate, product_insight
from configurator.personalization.models import DefaultOutcome
from configurator.personalization.outcomes import default_outcomes_record, outcomes_of
from tests.fixtures.consent import consent_given

pytestmark = pytest.mark.django_db

SHIPPING = {
    "name": "Lan",
    "email": "lan@example.vn",
    "phone": "0901234567",
    "address": "1 Lê Lợi",
    "province": "Huế",
    "ward": "19786",  # Phường Thuận Hóa
}
WEEK_1 = datetime(2026, 3, 3, 5, tzinfo=UTC)  # Tuesday, noon in Hà Nội
WEEK_2 = datetime(2026, 3, 11, 5, tzinfo=UTC)


def studio_state(client) -> dict:
    page = client.get("/studio/TOTE-01/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    match = re.search(r'<script id="studio-state" type="application/json">(.*?)</script>', page)
    assert match is not None
    return json.loads(match.group(1))


def order(client, selection: dict, *, token: str | None, at: datetime, key: str) -> Order:
    """Add one line (with the studio's token, if any) and place it; the hook is not run."""
    body: dict = {"product": "TOTE-01", "selection": selection}
    if token is not None:
        body["defaults"] = token
    assert client.post("/api/v1/cart/lines/", body, content_type="application/json").status_code
    response = client.post(
        "/api/v1/orders/", {**SHIPPING, "idempotency_key": key}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    placed = Order.objects.get(number=response.json()["number"])
    Order.objects.filter(pk=placed.pk).update(placed_at=at)
    return placed


@pytest.fixture
def orders(client, tote):
    """Three lines on the merchant's defaults (canvas, black): kept, half kept, changed."""
    token = studio_state(client)["defaults_token"]
    placed = [
        order(client, {"material": "canvas", "color": "black"}, token=token, at=WEEK_1, key="k1"),
        order(client, {"material": "canvas", "color": "navy"}, token=token, at=WEEK_1, key="k2"),
        order(client, {"material": "suede", "color": "brown"}, token=token, at=WEEK_2, key="k3"),
    ]
    for one in placed:
        default_outcomes_record(one.pk)
    return placed


def test_the_studio_signs_what_it_proposed_and_the_order_line_keeps_it(client, tote):
    token = studio_state(client)["defaults_token"]
    assert proposal_read(token=token, sku="TOTE-01") == {
        "material": {"value": "canvas", "source": "merchant"},
        "color": {"value": "black", "source": "merchant"},
    }
    placed = order(client, {"material": "canvas", "color": "navy"}, token=token, at=WEEK_1, key="a")
    assert placed.lines.get().proposed_defaults == {
        "material": {"value": "canvas", "source": "merchant"},
        "color": {"value": "black", "source": "merchant"},
    }


def test_a_tampered_or_foreign_token_records_nothing_but_the_line_is_added(client, tote):
    token = studio_state(client)["defaults_token"]
    assert proposal_read(token=token, sku="OTHER-01") == {}
    assert proposal_read(token=token[:-2] + "xx", sku="TOTE-01") == {}
    placed = order(
        client, {"material": "canvas", "color": "black"}, token="forged", at=WEEK_1, key="b"
    )
    assert placed.lines.get().proposed_defaults == {}
    assert default_outcomes_record(placed.pk) == 0
    assert not DefaultOutcome.objects.exists()


def test_outcomes_compare_the_ordered_value_with_the_proposal():
    proposed = {
        "color": {"value": "black", "source": "popular"},
        "material": {"value": "canvas", "source": "personal"},
        "extras": {"value": ["strap", "pocket"], "source": "merchant"},
        "lining": {"value": "red", "source": "invented"},
    }
    selection = {"color": "navy", "material": "canvas", "extras": ["pocket", "strap"]}
    assert outcomes_of(proposed=proposed, selection=selection) == [
        ("color", "black", "navy", False, "popular"),
        ("material", "canvas", "canvas", True, "personal"),
        ("extras", "pocket,strap", "pocket,strap", True, "merchant"),
        ("lining", "red", "", False, "merchant"),
    ]


def test_placing_an_order_records_its_outcomes_once(
    client, tote, django_capture_on_commit_callbacks
):
    token = studio_state(client)["defaults_token"]
    client.post(
        "/api/v1/cart/lines/",
        {
            "product": "TOTE-01",
            "selection": {"material": "canvas", "color": "navy"},
            "defaults": token,
        },
        content_type="application/json",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/orders/", {**SHIPPING, "idempotency_key": "c"}, content_type="application/json"
        )
    placed = Order.objects.get(number=response.json()["number"])
    rows = list(
        DefaultOutcome.objects.order_by("group").values_list(
            "product", "group", "proposed", "chosen", "kept", "source", "placed_at"
        )
    )
    assert rows == [
        ("TOTE-01", "color", "black", "navy", False, "merchant", placed.placed_at),
        ("TOTE-01", "material", "canvas", "canvas", True, "merchant", placed.placed_at),
    ]
    assert default_outcomes_record(placed.pk) == 0  # a second run writes nothing
    assert DefaultOutcome.objects.count() == 2


def test_a_shoppers_own_history_is_recorded_as_the_personal_source(client, tote, django_user_model):
    from configurator.personalization.events import EventLine
    from configurator.personalization.scoring import Purchase

    user = django_user_model.objects.create_user("an", "an@example.vn", "mat-khau-2026")
    purchase_events_import(
        lines=[
            EventLine(
                line=i,
                purchase=Purchase("an@example.vn", WEEK_1, f"S{i}", "TOTE-01", {"color": "navy"}),
                channel="store",
                sku="T1",
                quantity=1,
                price="",
                currency="VND",
            )
            for i in range(2)
        ]
    )
    consent_given(user)  # the shop asks first (opt-in): An agreed
    client.force_login(user)
    proposal = proposal_read(token=studio_state(client)["defaults_token"], sku="TOTE-01")
    assert proposal["color"] == {"value": "navy", "source": "personal"}


def test_acceptance_and_take_rates_overall_and_per_week(orders):
    insight = product_insight(sku="TOTE-01", language="en")
    monday_1, monday_2 = date(2026, 3, 2), date(2026, 3, 9)
    assert insight.weeks == (monday_1, monday_2)
    assert insight.lines == 3
    assert [a.group for a in insight.acceptance] == ["material", "color"]  # the option set's
    acceptance = {a.group: a for a in insight.acceptance}
    assert acceptance["material"].overall == Rate(2, 3)
    assert acceptance["material"].overall.percent == 66.7
    assert acceptance["material"].weekly == {monday_1: Rate(2, 2), monday_2: Rate(0, 1)}
    assert acceptance["color"].overall == Rate(1, 3)
    assert acceptance["color"].overall.percent == 33.3
    assert acceptance["color"].weekly == {monday_1: Rate(1, 2), monday_2: Rate(0, 1)}
    assert acceptance["color"].by_source == {"merchant": Rate(1, 3)}
    assert acceptance["color"].name == "Colour"
    takes = [(t.group, t.value, t.name, t.overall, t.overall.percent) for t in insight.takes]
    assert takes == [
        ("material", "canvas", "Canvas", Rate(2, 3), 66.7),
        ("material", "suede", "Suede", Rate(1, 3), 33.3),
        ("color", "black", "Black", Rate(1, 3), 33.3),
        ("color", "brown", "Brown", Rate(1, 3), 33.3),
        ("color", "navy", "Navy", Rate(1, 3), 33.3),
    ]
    canvas = insight.takes[0]
    assert canvas.weekly == {monday_1: Rate(2, 2), monday_2: Rate(0, 1)}
    assert insight.group_names == {"material": "Material", "color": "Colour"}


def test_cancelled_orders_and_lines_without_a_proposal(client, orders):
    Order.objects.filter(pk=orders[2].pk).update(status=OrderStatus.CANCELLED)
    order(client, {"material": "suede", "color": "black"}, token=None, at=WEEK_2, key="k4")
    insight = product_insight(sku="TOTE-01", language="en")
    acceptance = {a.group: a.overall for a in insight.acceptance}
    assert acceptance == {"material": Rate(2, 2), "color": Rate(1, 2)}
    assert insight.lines == 3  # the line without a token counts for take rates
    takes = {(t.group, t.value): t.overall for t in insight.takes}
    assert takes[("material", "suede")] == Rate(1, 3)
    assert takes[("color", "black")] == Rate(2, 3)


def test_a_product_without_orders_has_empty_insight(tote):
    insight = product_insight(sku="TOTE-01")
    assert (insight.weeks, insight.lines, insight.acceptance, insight.takes) == ((), 0, (), ())


def test_insight_reads_in_two_queries(orders, django_assert_num_queries):
    with django_assert_num_queries(2):
        product_insight(sku="TOTE-01")


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_user("shop", "shop@example.vn", "pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_product"))
    return user


def test_the_admin_page_shows_rates_tables_and_charts(client, orders, staff):
    client.force_login(staff)
    product = Product.objects.get(sku="TOTE-01")
    response = client.get(f"/admin/insight/products/{product.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="acceptance-table"' in page
    assert re.search(
        r"<th scope=\"row\">Material</th>\s*<td class=\"number\">2</td>"
        r"\s*<td class=\"number\">3</td>\s*<td class=\"number\">66.7%</td>",
        page,
    )
    assert "1/2 (50.0%)" in page  # colour, first week
    assert page.count('role="img"') == 3  # acceptance, material takes, colour takes
    assert '<title id="acceptance-chart-title">Acceptance rate per week</title>' in page
    assert "<script" not in page.split('id="content-main"')[1].split("</svg>")[0]


def test_the_admin_page_needs_a_signed_in_staff_member(client, orders, django_user_model):
    url = f"/admin/insight/products/{Product.objects.get(sku='TOTE-01').pk}/"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    shopper = django_user_model.objects.create_user("an", "an@example.vn", "pw")
    client.force_login(shopper)
    assert client.get(url).status_code == 302  # not staff: the admin's sign-in again
    staff_without_permission = django_user_model.objects.create_user(
        "temp", "temp@example.vn", "pw", is_staff=True
    )
    client.force_login(staff_without_permission)
    assert client.get(url).status_code == 403


def test_the_product_admin_page_links_to_the_insight(client, tote, staff):
    staff.user_permissions.add(Permission.objects.get(codename="change_product"))
    client.force_login(staff)
    product = Product.objects.get(sku="TOTE-01")
    page = client.get(f"/admin/catalog/product/{product.pk}/change/").content.decode()
    assert f'href="/admin/insight/products/{product.pk}/"' in page
