"""Number groups for the shopper: the API's evaluate, the form without JavaScript, the cart
and the order snapshot ("120 cm"), every refusal coded and nothing written."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from configurator.configuring.previews import decode_selection
from configurator.orders.models import CartLine, OrderLine
from tests.fixtures.api import evaluate
from tests.fixtures.documents import banner_document
from tests.fixtures.orders import AN_SHIPPING

pytestmark = pytest.mark.django_db

URL = "/studio/BANNER-01/"


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def banner(publish):
    return publish(banner_document())


def _evaluate(selection, language="vi"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    return evaluate(client, {"selection": selection}, sku="BANNER-01")


def test_evaluate_answers_the_range_runs_with_reasons_and_the_area_price(banner):
    response = _evaluate({"material": "cotton", "width": 120, "height": "80"})

    assert response.status_code == 200
    body = response.json()
    width = body["groups"][1]
    assert (width["kind"], width["chosen"], width["values"]) == ("number", "120", [])
    assert width["limits"] == {"minimum": "50", "maximum": "300", "increment": "10", "unit": "cm"}
    assert width["ranges"] == [
        {"from": "50", "to": "200", "available": True, "reason": None},
        {
            "from": "210",
            "to": "300",
            "available": False,
            "reason": {
                "conflict": ["material"],
                "messages": ["Vải cotton chỉ rộng tối đa 200 cm"],
                "repair": {"material": "pvc"},
            },
        },
    ]
    assert body["groups"][3]["limits"]["price_per_unit"] == "8000"
    # 50,000 + 120 × 80 / 10,000 × 150,000 = 50,000 + 144,000
    assert [(line["kind"], line["group"], line["amount"]) for line in body["price"]["lines"]] == [
        ("base", None, "50000"),
        ("number", "height", "144000"),
    ]
    assert body["price"]["total"] == "194000"


def test_evaluate_prices_a_strap_per_metre(banner):
    body = _evaluate({"strap": "1.5"}).json()
    assert body["selection"]["strap"] == "1.5"
    assert [(line["kind"], line["amount"]) for line in body["price"]["lines"]] == [
        ("base", "50000"),
        ("number", "12000"),
    ]


@pytest.mark.parametrize(
    ("number", "code", "language", "detail"),
    [
        ("310", "engine.V013", "vi", "Chiều rộng phải từ 50 đến 300 cm, bước 10 cm."),
        ("125", "engine.V014", "vi", "Chiều rộng phải từ 50 đến 300 cm, bước 10 cm."),
        (125, "engine.V014", "en", "Width must be from 50 to 300 cm, in steps of 10 cm."),
        ("rộng", "engine.V006", "vi", "Chiều rộng phải từ 50 đến 300 cm, bước 10 cm."),
        (120.5, "engine.V006", "vi", "Chiều rộng phải từ 50 đến 300 cm, bước 10 cm."),
        ("", "engine.V006", "vi", "Chiều rộng phải từ 50 đến 300 cm, bước 10 cm."),
        ("9" * 500, "engine.V006", "vi", "Chiều rộng phải từ 50 đến 300 cm, bước 10 cm."),
    ],
)
def test_a_number_off_the_grid_is_a_400_with_code_field_and_detail(
    banner, number, code, language, detail
):
    response = _evaluate({"material": "pvc", "width": number}, language=language)

    assert response.status_code == 400
    assert response.json() == {"code": code, "detail": detail, "field": "selection.width"}


def test_a_number_a_rule_rules_out_is_a_409_with_the_rule_and_its_repair(banner):
    response = _evaluate({"material": "cotton", "width": "250"})

    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["field"], body["repair"]) == (
        "selection.E010",
        "selection.width",
        {"material": "pvc"},
    )
    assert body["detail"].startswith("Vải cotton chỉ rộng tối đa 200 cm")


def post(client, data, language="vi"):
    return client.post(URL, data, HTTP_ACCEPT_LANGUAGE=language)


def test_the_form_draws_a_number_field_with_its_unit_and_range(client, banner):
    page = client.get(URL + "?s=", HTTP_ACCEPT_LANGUAGE="vi").content.decode()

    field = re.search(r'<input type="text" inputmode="decimal" id="width--number"[^>]*>', page)
    assert field is not None
    assert 'name="width"' in field[0] and 'value="120"' in field[0]
    assert '<span class="number__unit" aria-hidden="true">cm</span>' in page
    assert (
        '<span class="field-note" id="width--number--hint">Từ 50 đến 300 cm, bước 10 cm.</span>'
        in page
    )


def test_the_form_takes_a_number_with_a_vietnamese_comma(client, banner):
    response = post(client, {"material": "pvc", "width": " 150 ", "height": "90", "strap": "1,5"})

    assert response.status_code == 303
    query = parse_qs(urlsplit(response["Location"]).query)
    assert decode_selection(query["s"][0]) == {
        "material": "pvc",
        "width": "150",
        "height": "90",
        "strap": "1.5",
    }


def test_the_form_says_a_ruled_out_run_with_its_switch(client, banner):
    response = post(client, {"material": "cotton", "width": "150", "height": "90"})
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="vi").content.decode()

    assert '<p class="why">210–300 cm: Vải cotton chỉ rộng tối đa 200 cm</p>' in page
    assert 'name="repair" value="width:210"' in page
    assert ">Chuyển sang 210 cm (đổi Chất liệu: Bạt PVC)</button>" in page
    repaired = post(client, {"material": "cotton", "width": "150", "repair": "width:210"})
    query = parse_qs(urlsplit(repaired["Location"]).query)
    assert decode_selection(query["s"][0]) == {"material": "pvc", "width": "210"}


@pytest.mark.parametrize("action", ["update", "cart"])
def test_the_form_refuses_a_number_off_the_grid_beside_it(client, banner, action):
    response = post(client, {"material": "pvc", "width": "305", "height": "90", "action": action})

    assert response.status_code == 400
    page = response.content.decode()
    error = re.search(r'id="width--number--error">([^<]*)<', page)
    assert error is not None and error[1] == "Chiều rộng phải từ 50 đến 300 cm, bước 10 cm."
    assert 'value="305"' in page  # what was typed stays in the field
    assert CartLine.objects.count() == 0


def test_cart_and_order_show_the_number_with_its_unit(
    client, banner, django_capture_on_commit_callbacks
):
    response = post(
        client,
        {"material": "pvc", "width": "120", "height": "80", "strap": "0,5", "action": "cart"},
    )
    assert (response.status_code, response["Location"]) == (302, "/cart/")
    line = CartLine.objects.get()
    assert line.selection == {"material": "pvc", "width": "120", "height": "80", "strap": "0.5"}
    assert str(line.unit_price) == "198000.00"  # 50,000 + 144,000 + 0.5 × 8,000
    cart = client.get("/cart/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<span class="choices__group">Chiều rộng:</span> 120 cm' in cart
    assert '<span class="choices__group">Dây treo:</span> 0,5 m' in cart

    with django_capture_on_commit_callbacks(execute=True):
        placed = client.post(
            "/api/v1/orders/",
            {**AN_SHIPPING, "idempotency_key": "banner-1"},
            content_type="application/json",
        )
    assert placed.status_code == 201, placed.content
    choices = OrderLine.objects.get().choices
    assert [c for c in choices if c["group"] in ("width", "strap")] == [
        {
            "group": "width",
            "group_name": {"vi": "Chiều rộng", "en": "Width"},
            "kind": "number",
            "value": "120",
            "unit": "cm",
            "value_name": {"vi": "120 cm", "en": "120 cm"},
            "production_code": "",
            "price_delta": "0",
        },
        {
            "group": "strap",
            "group_name": {"vi": "Dây treo", "en": "Dây treo"},
            "kind": "number",
            "value": "0.5",
            "unit": "m",
            "value_name": {"vi": "0,5 m", "en": "0.5 m"},
            "production_code": "",
            "price_delta": "0",
        },
    ]
