"""Evaluate: an upload that needs another choice says which, in the shopper's language, with
the repair; a text's price says it is per character; a text over its limit is refused."""

from __future__ import annotations

import copy

import pytest
from rest_framework.test import APIClient

from tests.fixtures.api import evaluate
from tests.fixtures.documents import TOTE
from tests.fixtures.patterns import patterned
from tests.fixtures.pictures import png, upload

pytestmark = pytest.mark.django_db


def test_an_upload_on_the_default_pattern_answers_the_repair_in_vietnamese(publish):
    publish(patterned())
    client = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    picture = upload(client, png(), "me.png").json()["id"]
    selection = {"material": "canvas", "color": "black", "design": "plain", "photo": picture}
    response = evaluate(client, {"selection": selection})
    assert response.status_code == 409
    assert response.json() == {
        "code": "selection.E010",
        "detail": "Ảnh tải lên chỉ in được với mẫu “Ảnh của bạn”. "
        "Hãy đổi Hoa văn: “Ảnh của bạn” để dùng được.",
        "field": "selection.photo",
        "repair": {"design": "photo"},
    }
    repaired = evaluate(client, {"selection": {**selection, "design": "photo"}})
    assert repaired.status_code == 200
    assert repaired.json()["selection"]["design"] == "photo"


def test_a_conflict_without_a_message_is_said_in_the_request_language(publish):
    document = copy.deepcopy(TOTE)
    document["rules"] = [
        {
            "kind": "requires",
            "id": "monogram-not-on-red",
            "if": {"monogram": ["present"]},
            "then": {"color": ["black", "brown", "navy"]},
        }
    ]
    publish(document)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    response = evaluate(client, {"selection": {"color": "red", "monogram": "Ánh"}})
    assert response.status_code == 409
    assert response.json() == {
        "code": "selection.E010",
        "detail": "Không thể kết hợp các lựa chọn này. Hãy đổi Màu: “Đen” để dùng được.",
        "field": "selection.monogram",
        "repair": {"color": "black"},
    }


@pytest.mark.parametrize(
    ("language", "label", "currency_amount"),
    [
        ("vi", "Chữ thêu: 9 ký tự × 10.000\xa0₫", "90000"),
        ("en", "Monogram: 9 characters × ₫10,000", "90000"),
    ],
)
def test_the_text_price_line_says_it_is_per_character(tote, language, label, currency_amount):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    selection = {"material": "canvas", "color": "black", "monogram": "Nguyễn Thị"}
    response = evaluate(client, {"selection": selection})
    assert response.status_code == 200
    line = response.json()["price"]["lines"][-1]
    assert line == {
        "kind": "text",
        "label": label,
        "group": "monogram",
        "value": None,
        "quantity": 9,
        "amount": currency_amount,
    }


def test_a_text_over_its_limit_is_refused_in_the_shoppers_language(tote):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    response = evaluate(client, {"selection": {"monogram": "Nguyễn Thị Ánh"}})
    assert response.status_code == 400
    assert response.json() == {
        "code": "engine.V010",
        "detail": "Chữ thêu nhận tối đa 10 ký tự.",
        "field": "selection.monogram",
    }
