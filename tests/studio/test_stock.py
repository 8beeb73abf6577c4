"""Out-of-stock values in the studio: disabled with their reason, repaired, never proposed;
the delivery estimate of a configuration. No publish: stock is read at run time."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from catalog.models import Product, ValueStock
from catalog.stock import stock_forget
from configurator.compilation.models import CompiledOptionSet
from tests.fixtures.api import evaluate

pytestmark = pytest.mark.django_db

RESTOCK = datetime.date(2026, 12, 24)


@pytest.fixture(autouse=True)
def fresh_stock():
    stock_forget()
    yield
    stock_forget()


@pytest.fixture
def vi():
    return APIClient(HTTP_ACCEPT_LANGUAGE="vi")


def _stock(version, group, value, quantity, **fields):
    return ValueStock.objects.create(
        product=version.product, group_code=group, value_code=value, quantity=quantity, **fields
    )


def _value(body, group, value):
    found = next(g for g in body["groups"] if g["code"] == group)
    return next(v for v in found["values"] if v["code"] == value)


def test_an_out_of_stock_value_is_disabled_with_its_reason_and_date(vi, tote):
    compiled = CompiledOptionSet.objects.count()
    _stock(tote, "material", "suede", 0, restock_date=RESTOCK)
    response = evaluate(vi, {"selection": {"material": "canvas"}})
    assert response.status_code == 200
    suede = _value(response.json(), "material", "suede")
    assert (suede["available"], suede["reason"]) == (
        False,
        {
            "conflict": [],
            "messages": ["Hết hàng, dự kiến có lại ngày 24/12/2026"],
            "repair": None,
            "out_of_stock": True,
            "restock_date": "2026-12-24",
        },
    )
    assert _value(response.json(), "material", "canvas")["available"] is True
    assert CompiledOptionSet.objects.count() == compiled  # nothing compiled again


def test_without_a_date_the_reason_says_out_of_stock(vi, tote):
    _stock(tote, "color", "red", 0)
    body = evaluate(vi, {"selection": {"material": "canvas"}}).json()
    assert _value(body, "color", "red")["reason"]["messages"] == ["Hết hàng"]
    assert _value(body, "color", "navy")["available"] is True


def test_back_in_stock_it_is_offered_again_at_once(vi, tote):
    row = _stock(tote, "material", "suede", 0)
    assert _value(evaluate(vi, {"selection": {}}).json(), "material", "suede")["available"] is False
    row.quantity = 3
    row.save()  # forgotten in this process at once
    assert _value(evaluate(vi, {"selection": {}}).json(), "material", "suede")["available"] is True


def test_a_choice_out_of_stock_is_refused_with_its_repair(vi, tote):
    _stock(tote, "material", "suede", 0)
    response = evaluate(vi, {"selection": {"color": "black", "material": "suede"}})
    assert response.status_code == 409
    assert response.json() == {
        "code": "selection.E030",
        "detail": "Chất liệu “Da lộn” đã hết hàng. Hãy đổi sang Chất liệu: “Vải bố” để tiếp tục.",
        "field": "selection.material",
        "repair": {"material": "canvas"},
    }


def test_repairs_of_rules_never_propose_an_out_of_stock_value(vi, tote):
    # Suede only comes in black or brown: with brown gone, red suede is repaired to black.
    _stock(tote, "color", "brown", 0)
    body = evaluate(vi, {"selection": {"color": "red"}}).json()
    suede = _value(body, "material", "suede")
    assert suede["available"] is False
    assert suede["reason"]["repair"] == {"color": "black"}


def test_the_studio_never_opens_on_an_out_of_stock_value(client, tote):
    _stock(tote, "material", "canvas", 0)
    response = client.get("/studio/TOTE-01/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    state = response.context["state"]
    assert state["selection"]["material"] == "suede"
    page = response.content.decode()
    assert "Hết hàng" in page


def test_the_form_without_script_refuses_an_out_of_stock_value_beside_it(client, tote):
    _stock(tote, "material", "suede", 0)
    response = client.post(
        "/studio/TOTE-01/",
        {"material": "suede", "color": "black", "monogram": ""},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 400
    assert "Chất liệu “Da lộn” đã hết hàng." in response.content.decode()


def test_the_delivery_estimate_adds_the_slowest_chosen_value(vi, tote):
    Product.objects.filter(pk=tote.product_id).update(lead_time_days=3)
    _stock(tote, "material", "suede", None, lead_time_days=7)
    _stock(tote, "color", "black", 5, lead_time_days=2)
    stock_forget()  # the product was updated without a signal
    today = timezone.localdate()
    body = evaluate(vi, {"selection": {"material": "suede", "color": "black"}}).json()
    date = today + datetime.timedelta(days=10)
    weekday = date.isoweekday() + 1
    day = "Chủ nhật" if weekday == 8 else f"Thứ {weekday}"
    assert body["delivery"] == {
        "days": 10,
        "date": date.isoformat(),
        "text": f"Dự kiến giao: {day}, {date:%d/%m/%Y}",
    }
    canvas = evaluate(vi, {"selection": {"material": "canvas"}}).json()["delivery"]
    assert canvas["days"] == 3


def test_no_lead_time_set_means_no_estimate(vi, tote):
    assert evaluate(vi, {"selection": {}}).json()["delivery"] is None
