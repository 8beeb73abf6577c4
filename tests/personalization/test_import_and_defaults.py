"""Events in from every channel; personalized defaults in the studio; see, export, erase."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from configurator.personalization.models import (
    ConsentRegime,
    Customer,
    ProductValueStat,
    PurchaseEvent,
)
from tests.fixtures.consent import regime_set

pytestmark = pytest.mark.django_db


def _ago(days: int) -> str:
    return (timezone.now() - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


HEADER = "customer,timestamp,order,channel,product,sku,quantity,option:color,option:material"
EVENTS = (
    "\n".join(
        [
            HEADER,
            f"lan@example.vn,{_ago(60)},S1,store,TOTE-01,T1,1,navy,canvas",
            f"lan@example.vn,{_ago(30)},S2,marketplace,TOTE-01,T1,1,navy,canvas",
            f"lan@example.vn,{_ago(20)},S3,store,TOTE-01,T1,1,black,suede",
            f"khach2,{_ago(10)},S4,store,TOTE-01,T1,2,brown,suede",
            "khach3,not-a-time,S5,store,TOTE-01,T1,1,red,canvas",
        ]
    )
    + "\n"
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "events.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_reports_bad_lines_keeps_the_rest_and_adds_nothing_twice(tmp_path):
    path = write(tmp_path, EVENTS)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 lines refused"):
        call_command("import_purchase_events", str(path), stdout=io.StringIO(), stderr=err)
    assert "line 6: unreadable time “not-a-time” [events.E002]" in err.getvalue()
    assert PurchaseEvent.objects.count() == 4
    assert not PurchaseEvent.objects.filter(order="S5").exists()
    stat = ProductValueStat.objects.get(product="TOTE-01", group="color", value="navy")
    assert stat.count == 2
    lan = Customer.objects.get(external_id="lan@example.vn")
    assert [row[2] for row in lan.profile["orders"]["TOTE-01|color"]] == ["navy", "navy", "black"]
    with pytest.raises(CommandError):
        call_command(
            "import_purchase_events", str(path), stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert PurchaseEvent.objects.count() == 4
    assert ProductValueStat.objects.get(product="TOTE-01", group="color", value="navy").count == 2


def test_a_file_without_the_required_columns_is_refused(tmp_path):
    path = write(tmp_path, "customer,order\nx,1\n")
    with pytest.raises(CommandError, match="line 1: missing column"):
        call_command("import_purchase_events", str(path), stdout=io.StringIO())
    assert PurchaseEvent.objects.count() == 0


def state(client, url="/studio/TOTE-01/"):
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    match = re.search(
        r'<script id="studio-state" type="application/json">(.*?)</script>', page, re.S
    )
    return json.loads(match.group(1))


@pytest.fixture
def lan(client, tmp_path, tote, django_user_model):
    path = write(tmp_path, "\n".join(EVENTS.splitlines()[:5]) + "\n")
    call_command("import_purchase_events", str(path), stdout=io.StringIO())
    user = django_user_model.objects.create_user("lan", "lan@example.vn", "mat-khau-2026")
    regime_set(ConsentRegime.OPT_OUT)  # the shop does not ask first: on until Lan says no
    client.force_login(user)
    return user


def test_the_studio_opens_on_the_shoppers_taste_with_its_reason(client, lan):
    body = state(client)
    # Lan chose navy twice in her last three tote orders; navy is canvas-only.
    assert body["selection"] == {"material": "canvas", "color": "navy"}
    assert body["reasons"]["color"] == "You chose Navy in 2 of your last 3 orders."
    assert body["personalized"] is True
    assert Customer.objects.get(external_id="lan@example.vn").user == lan


def test_defaults_stay_valid_when_preferences_conflict_with_rules(client, lan):
    # Make suede + navy the strongest wishes: suede comes only in black or brown.
    lan_customer = Customer.objects.get(external_id="lan@example.vn")
    profile = lan_customer.profile
    navy = profile["same"]["TOTE-01|color"]["navy"]
    profile["same"]["TOTE-01|material"] = {"suede": navy + 5}  # e^5 times navy's weight
    lan_customer.save()
    body = state(client)
    assert body["selection"]["material"] == "suede"
    assert body["selection"]["color"] in ("black", "brown")
    assert body["complete"] is True


def test_switching_off_and_reset_give_the_merchants_defaults(client, lan):
    assert state(client, "/studio/TOTE-01/?defaults=merchant")["selection"] == {
        "material": "canvas",
        "color": "black",
    }
    response = client.patch(
        "/api/v1/me/personalization/",
        {"personalized_defaults": False},
        content_type="application/json",
    )
    assert response.json() == {"personalized_defaults": False}
    body = state(client)
    assert body["reasons"].get("color") != "You chose Navy in 2 of your last 3 orders."
    assert body["selection"]["color"] != "navy" or "navy" not in body["reasons"].get("color", "")


def test_export_and_erase(client, lan):
    exported = client.get("/api/v1/me/personalization/export/")
    assert exported["Content-Disposition"] == 'attachment; filename="my-purchase-history.json"'
    data = json.loads(exported.content)
    assert [p["order"] for p in data["purchases"]] == ["S1", "S2", "S3"]
    assert data["purchases"][0]["channel"] == "store"
    assert client.delete("/api/v1/me/personalization/").status_code == 204
    assert not Customer.objects.filter(user=lan).exists()
    assert not PurchaseEvent.objects.filter(customer__external_id="lan@example.vn").exists()
    assert PurchaseEvent.objects.count() == 1  # someone else's stays


def test_anonymous_shoppers_get_popularity(client, tote, tmp_path):
    path = write(tmp_path, "\n".join(EVENTS.splitlines()[:5]) + "\n")
    call_command("import_purchase_events", str(path), stdout=io.StringIO())
    body = state(client)
    assert body["reasons"].get("material") == "Most chosen by shoppers of this product."


def test_a_web_order_becomes_purchase_events(
    client, tote, django_user_model, django_capture_on_commit_callbacks
):
    user = django_user_model.objects.create_user("an", "an@example.vn", "mat-khau-2026")
    client.force_login(user)
    client.post(
        "/api/v1/cart/lines/",
        {"product": "TOTE-01", "selection": {"material": "suede", "color": "brown"}},
        content_type="application/json",
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/api/v1/orders/",
            {
                "name": "An",
                "email": "an@example.vn",
                "phone": "0901234567",
                "address": "1 Lê Lợi",
                "province": "Huế",
                "ward": "19786",
                "idempotency_key": "w1",
            },
            content_type="application/json",
        )
    event = PurchaseEvent.objects.get()
    assert (event.channel, event.product, event.options) == (
        "web",
        "TOTE-01",
        {"material": "suede", "color": "brown"},
    )
    assert event.customer.user == user
