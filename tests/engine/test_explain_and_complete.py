"""The engine's explanations of unavailable values and its completions, against hand-computed
answers."""

from __future__ import annotations

import copy

import pytest

from configurator.engine import SelectionError, compile_option_set

from .documents import SHOE, choice, document

# Explanations.


def test_explain_names_the_choice_the_rule_and_the_repair(shoe):
    selection = {"color": "navy", "lace": "white", "material": "canvas"}
    explanation = shoe.explain(selection, "material", "suede")
    assert explanation is not None
    assert explanation.conflict == ("color",)
    assert [r.id for r in explanation.rules] == ["suede-colours"]
    assert explanation.messages[0]["vi"] == "Da lộn chỉ có màu Đen, Nâu hoặc Cát"
    assert explanation.repair is not None
    assert explanation.repair.changes == {"color": "black"}
    assert explanation.repair.cost == 1
    assert shoe.explain(selection, "material", "canvas") is None


def test_explain_finds_the_smallest_conflict_of_several_choices():
    # c is ruled out only by a AND b together; d is irrelevant.
    doc = document(
        [
            choice("a", ["a1", "a2"]),
            choice("b", ["b1", "b2"]),
            choice("d", ["d1", "d2"]),
            choice("c", ["c1", "c2"]),
        ],
        [
            {
                "kind": "forbidden",
                "id": "no-a1-b1-c2",
                "groups": ["a", "b", "c"],
                "rows": [["a1", "b1", "c2"]],
            }
        ],
    )
    engine = compile_option_set(doc)
    explanation = engine.explain({"a": "a1", "d": "d1", "b": "b1"}, "c", "c2")
    assert explanation is not None
    assert explanation.conflict == ("a", "b")
    assert [r.id for r in explanation.rules] == ["no-a1-b1-c2"]
    # Change the older of the two.
    assert explanation.repair is not None
    assert explanation.repair.changes == {"a": "a2"}


# Completion.


def test_complete_keeps_choices_and_follows_weights(shoe):
    weights = {("color", "sand"): 3.0, ("color", "navy"): 5.0, ("lace", "black"): 1.0}
    assert shoe.complete({"material": "suede"}, weights) == {
        "material": "suede",
        "color": "sand",
        "lace": "black",
    }
    assert shoe.complete({}, weights) == {"material": "canvas", "color": "navy", "lace": "black"}


def test_complete_without_weights_prefers_defaults_then_empty_then_order():
    doc = copy.deepcopy(SHOE)
    doc["groups"][1]["values"][3]["default"] = True  # navy
    engine = compile_option_set(doc)
    assert engine.complete({}) == {"material": "canvas", "color": "navy", "lace": None}
    assert engine.complete({"material": "suede"}) == {
        "material": "suede",
        "color": "black",
        "lace": None,
    }


def test_complete_refuses_an_impossible_selection(shoe):
    with pytest.raises(SelectionError) as caught:
        shoe.complete({"material": "suede", "color": "red"})
    assert [v.code for v in caught.value.violations] == ["engine.V040"]


# Explanations kept.


def test_explanations_are_kept_per_choices_as_the_diagram_sees_them(monkeypatch):
    engine = compile_option_set(
        document(
            [
                choice("material", ["canvas", "leather"]),
                choice("color", ["black", "red"]),
                {
                    "code": "monogram",
                    "name": {"en": "Monogram"},
                    "kind": "text",
                    "required": False,
                },
            ],
            [
                {
                    "kind": "requires",
                    "id": "monogram-leather",
                    "if": {"monogram": ["present"]},
                    "then": {"material": ["leather"]},
                },
                {
                    "kind": "forbidden",
                    "id": "no-red-leather",
                    "groups": ["material", "color"],
                    "rows": [["leather", "red"]],
                },
            ],
        )
    )
    worked = []
    real = engine._explain
    monkeypatch.setattr(engine, "_explain", lambda *a: worked.append(a[3]) or real(*a))
    typed = engine.explain({"material": "leather", "monogram": "An"}, "color", "red")
    assert typed is not None
    assert typed.conflict == ("monogram",)  # the most recent choice that alone rules red out
    # Another text is the same choice for the diagram: the kept answer, not a new search.
    assert engine.explain({"material": "leather", "monogram": "Anh"}, "color", "red") is typed
    assert worked == ["red"]
    # No text is another choice (the monogram needs leather): a new search, a new answer.
    plain = engine.explain({"material": "leather"}, "color", "red")
    assert plain is not None and plain.repair is not None
    assert plain.repair.changes == {"material": "canvas"}
    assert plain.conflict == ("material",)
    assert typed.repair is not None
    assert typed.repair.changes == {"material": "canvas", "monogram": None}
    assert worked == ["red", "red"]
