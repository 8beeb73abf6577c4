"""A text that would not read on the chosen colour is said to be hard to read, with the text
colour that would read (the demo tote: its "Màu chữ" over its "Màu")."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    call_command("demo", "--noserve", stdout=io.StringIO())


def evaluate(client, selection, language="vi"):
    response = client.post(
        "/api/v1/products/TOTE-01/evaluate/",
        {"selection": selection},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200, response.content
    return {group["code"]: group for group in response.json()["groups"]}


def test_ink_on_a_black_tote_is_hard_to_read_and_white_is_offered(client, demo):
    groups = evaluate(client, {"color": "black", "text": "Lan", "text_color": "ink"})
    assert groups["text"]["contrast"] == {
        "level": "low",
        "code": "text.W001",
        "ratio": 1.01,  # the canvas's weave darkens the black a little more
        "message": "Chữ Mực đen khó đọc trên nền Đen (độ tương phản 1,0:1; nên từ 3:1).",
        "repair": {"text_color": "white"},
        "repair_label": "Dùng chữ Trắng",
    }
    assert all(group["contrast"] is None for code, group in groups.items() if code != "text")


def test_in_english(client, demo):
    selection = {"color": "black", "text": "Lan", "text_color": "ink"}
    contrast = evaluate(client, selection, "en")["text"]["contrast"]
    assert contrast["message"] == (
        "Ink black text is hard to read on Black (contrast 1.0:1; 3:1 or more reads well)."
    )
    assert contrast["repair_label"] == "Use White text"


def test_without_a_text_colour_chosen_the_layers_own_is_read(client, demo):
    contrast = evaluate(client, {"color": "black", "text": "Lan"})["text"]["contrast"]
    assert (contrast["ratio"], contrast["message"], contrast["repair"]) == (
        1.01,
        "Chữ khó đọc trên nền Đen (độ tương phản 1,0:1; nên từ 3:1).",
        {"text_color": "white"},
    )


def test_white_text_on_the_black_tote_reads(client, demo):
    selection = {"color": "black", "text": "Lan", "text_color": "white"}
    contrast = evaluate(client, selection)["text"]["contrast"]
    assert contrast == {
        "level": "ok",
        "code": None,
        "ratio": 15.48,
        "message": "",
        "repair": None,
        "repair_label": "",
    }


def test_nothing_is_said_before_a_text_is_typed(client, demo):
    groups = evaluate(client, {"color": "black", "text": "  "})
    assert groups["text"]["contrast"] is None
    assert evaluate(client, {"color": "black"})["text"]["contrast"] is None


def test_typing_key_by_key_reads_the_layers_once(client, demo, monkeypatch):
    from configurator.configuring import legibility

    calls = []
    read = legibility._contrasts
    monkeypatch.setattr(
        legibility, "_contrasts", lambda *args: calls.append(args[-1]) or read(*args)
    )
    for text in ("L", "La", "Lan"):
        assert (
            evaluate(client, {"color": "black", "text": text})["text"]["contrast"]["ratio"] == 1.01
        )
    assert calls == ["vi"]
    evaluate(client, {"color": "natural", "text": "Lan"})  # other choices: read again
    assert calls == ["vi", "vi"]
