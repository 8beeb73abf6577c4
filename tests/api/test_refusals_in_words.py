"""What the engine finds wrong with a choice reaches the shopper in their words: the group
by its name in the page's language, never its code (the demo tote's "Màu chữ")."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from configurator.orders.models import CartLine

pytestmark = pytest.mark.django_db(transaction=True)

WITHOUT_TEXT_COLOUR = {
    "material": "canvas",
    "color": "natural",
    "design": "plain",
    "text_font": "sans",
}


@pytest.fixture
def demo():
    call_command("demo", "--noserve", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("language", "detail"),
    [("vi", "Hãy chọn Màu chữ."), ("en", "Choose a value for Text colour.")],
)
def test_a_missing_choice_is_named_by_its_group(client, demo, language, detail):
    response = client.post(
        "/api/v1/cart/lines/",
        {"product": "TOTE-01", "selection": WITHOUT_TEXT_COLOUR},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "engine.V003",
        "detail": detail,
        "field": "selection.text_color",
    }
    assert CartLine.objects.count() == 0


def test_the_evaluate_answer_says_what_is_missing_in_words(client, demo):
    response = client.post(
        "/api/v1/products/TOTE-01/evaluate/",
        {"selection": WITHOUT_TEXT_COLOUR},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 200
    assert response.json()["violations"] == [
        {
            "code": "engine.V003",
            "detail": "Hãy chọn Màu chữ.",
            "groups": ["text_color"],
            "rule": None,
        }
    ]
