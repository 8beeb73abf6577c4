"""The engine, table-driven per group kind and rule kind, against hand-computed answers."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from configurator.engine import (
    Engine,
    EngineError,
    ImageInfo,
    SelectionError,
    compile_option_set,
    display_values,
)

from . import brute


def choice(code: str, values: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": code,
        "kind": "choice",
        "values": [{"code": v, "name": v} for v in values],
        **extra,
    }


def document(groups: list[dict], rules: list[dict] | None = None, **product: Any) -> dict:
    return {
        "format": "option-set/1",
        "product": {
            "sku": "SHOE-1",
            "name": {"en": "Sneaker", "vi": "Giày"},
            "base_price": "1000000",
            "currency": "VND",
            **product,
        },
        "groups": groups,
        "rules": rules or [],
    }


SUEDE = {
    "kind": "allowed",
    "id": "suede-colours",
    "message": {
        "en": "Suede comes only in Black, Brown or Sand",
        "vi": "Da lộn chỉ có màu Đen, Nâu hoặc Cát",
    },
    "groups": ["material", "color"],
    "rows": [["suede", "black"], ["suede", "brown"], ["suede", "sand"], ["canvas", "*"]],
}
SHOE = document(
    [
        choice("material", ["canvas", "suede"]),
        choice("color", ["black", "brown", "sand", "navy", "red"]),
        choice("lace", ["white", "black"], required=False),
    ],
    [SUEDE],
)


@pytest.fixture(scope="module")
def shoe() -> Engine:
    return compile_option_set(SHOE)


# Rule kinds: each row is (rules, selection, group, expected valid values).
RULE_CASES = [
    pytest.param(
        [SUEDE],
        {"material": "suede"},
        "color",
        {"black", "brown", "sand"},
        id="allowed-table",
    ),
    pytest.param(
        [SUEDE],
        {"color": "navy"},
        "material",
        {"canvas"},
        id="allowed-table-reverse",
    ),
    pytest.param(
        [
            {
                "kind": "forbidden",
                "groups": ["material", "color"],
                "rows": [["suede", "red"], ["canvas", "sand"]],
            }
        ],
        {"material": "suede"},
        "color",
        {"black", "brown", "sand", "navy"},
        id="forbidden-table",
    ),
    pytest.param(
        [{"kind": "allowed", "groups": ["material", "lace"], "rows": [["suede", None]]}],
        {"material": "suede"},
        "lace",
        {None},
        id="allowed-null-cell",
    ),
    pytest.param(
        [{"kind": "requires", "if": {"material": ["suede"]}, "then": {"lace": ["black"]}}],
        {"material": "suede"},
        "lace",
        {"black"},
        id="requires",
    ),
    pytest.param(
        [{"kind": "excludes", "if": {"color": ["red"]}, "then": {"lace": ["white", "black"]}}],
        {"color": "red"},
        "lace",
        {None},
        id="excludes",
    ),
    pytest.param(
        [{"kind": "excludes", "if": {"color": ["red"]}, "then": {"material": ["suede"]}}],
        {"material": "suede"},
        "color",
        {"black", "brown", "sand", "navy"},
        id="excludes-reverse",
    ),
]


@pytest.mark.parametrize(("rules", "selection", "group", "expected"), RULE_CASES)
def test_valid_values_per_rule_kind(rules, selection, group, expected):
    doc = copy.deepcopy(SHOE)
    doc["rules"] = rules
    engine = compile_option_set(doc)
    assert engine.valid_values(selection)[group] == frozenset(expected)
    assert engine.valid_values(selection) == brute.valid_values(doc, selection)


def test_chosen_group_lists_what_it_can_switch_to(shoe):
    valid = shoe.valid_values({"material": "suede", "color": "black"})
    assert valid["material"] == {"canvas", "suede"}
    assert valid["color"] == {"black", "brown", "sand"}
    assert valid["lace"] == {"white", "black", None}


def test_counts_and_dead_values(shoe):
    # canvas: 5 colours, suede: 3; lace white, black or none.
    assert shoe.configurations == (5 + 3) * 3
    assert shoe.dead_values == ()


def test_dead_value_is_reported():
    doc = copy.deepcopy(SHOE)
    doc["rules"].append({"kind": "forbidden", "groups": ["color"], "rows": [["red"]]})
    engine = compile_option_set(doc)
    assert engine.dead_values == (("color", "red"),)
    explanation = engine.explain({}, "color", "red")
    assert explanation is not None
    assert explanation.conflict == ()
    assert explanation.repair is None


# Group kinds.


def test_multi_group_bounds():
    doc = document(
        [
            {
                "code": "extras",
                "name": "Extras",
                "kind": "multi",
                "min": 1,
                "max": 2,
                "values": [{"code": c, "name": c} for c in ("logo", "insole", "box")],
            }
        ]
    )
    engine = compile_option_set(doc)
    assert engine.configurations == 3 + 3  # one or two of three
    assert engine.valid_values({"extras": ["logo", "box"]})["extras"] == {"logo", "box"}
    assert engine.valid_values({"extras": ["logo"]})["extras"] == {"logo", "insole", "box"}
    codes = [v.code for v in engine.validate({"extras": []})]
    assert codes == ["engine.V004"]
    codes = [v.code for v in engine.validate({"extras": ["logo", "insole", "box"]})]
    assert codes == ["engine.V005"]


def test_multi_condition_means_contains_one_of():
    doc = document(
        [
            {
                "code": "extras",
                "name": "Extras",
                "kind": "multi",
                "required": False,
                "values": [{"code": c, "name": c} for c in ("logo", "box")],
            },
            choice("color", ["black", "red"]),
        ],
        [{"kind": "requires", "if": {"extras": ["logo"]}, "then": {"color": ["black"]}}],
    )
    engine = compile_option_set(doc)
    assert engine.valid_values({"extras": ["logo", "box"]})["color"] == {"black"}
    assert engine.valid_values({"color": "red"})["extras"] == {"box"}
    assert engine.configurations == 4 * 2 - 2  # subsets × colours, minus logo sets with red


def test_text_group_presence_limits_and_price():
    doc = document(
        [
            choice("material", ["canvas", "leather"]),
            {
                "code": "monogram",
                "name": {"en": "Monogram", "vi": "Chữ thêu"},
                "kind": "text",
                "required": False,
                "max_length": 8,
                "pattern": r"[\w\s]+",
                "price_delta": "20000",
                "price_per_char": "5000",
            },
        ],
        [
            {
                "kind": "requires",
                "id": "monogram-leather",
                "message": {"en": "Engraving needs leather"},
                "if": {"monogram": ["present"]},
                "then": {"material": ["leather"]},
            }
        ],
    )
    engine = compile_option_set(doc)
    assert engine.configurations == 2
    assert engine.valid_values({"material": "canvas"})["monogram"] == {None}
    assert engine.valid_values({"monogram": "Hà Nội"})["material"] == {"leather"}
    assert engine.validate({"material": "leather", "monogram": "Hà Nội"}) == ()
    violations = engine.validate({"material": "canvas", "monogram": "Hà Nội"})
    assert [(v.code, v.rule.id if v.rule else None) for v in violations] == [
        ("engine.V032", "monogram-leather")
    ]
    assert [v.code for v in engine.validate({"material": "leather", "monogram": "Quá dài ạ!"})] == [
        "engine.V010",
        "engine.V011",
    ]
    price = engine.price({"material": "leather", "monogram": "Hà Nội"})
    # 5 characters (the space is free), composed or not.
    assert [(line.kind, line.amount, line.quantity) for line in price.lines] == [
        ("base", Decimal("1000000"), 1),
        ("text", Decimal("45000"), 5),
    ]
    assert price.total == Decimal("1045000")
    decomposed = "Ha\u0300 No\u0302\u0323i"
    assert engine.price({"material": "leather", "monogram": decomposed}).total == Decimal("1045000")


def test_image_group_limits():
    doc = document(
        [
            {
                "code": "artwork",
                "name": "Artwork",
                "kind": "image",
                "max_bytes": 5_000_000,
                "min_width": 1000,
                "min_height": 800,
                "formats": ["png", "jpeg"],
                "price_delta": "50000",
            }
        ]
    )
    engine = compile_option_set(doc)
    good = ImageInfo(bytes=10_000, width=1200, height=900, format="jpeg")
    assert engine.validate({"artwork": good}) == ()
    bad = ImageInfo(bytes=6_000_000, width=300, height=900, format="gif")
    assert [v.code for v in engine.validate({"artwork": bad})] == [
        "engine.V020",
        "engine.V021",
        "engine.V022",
    ]
    assert [v.code for v in engine.validate({})] == ["engine.V003"]
    assert engine.price({"artwork": good}).total == Decimal("1050000")


def test_validate_reports_every_violation_with_codes(shoe):
    assert [v.code for v in shoe.validate({"material": "suede", "color": "navy"})] == [
        "engine.V030"
    ]
    violation = shoe.validate({"material": "suede", "color": "navy"})[0]
    assert violation.groups == ("material", "color")
    assert violation.values == ("suede", "navy")
    assert violation.rule is not None and violation.rule.id == "suede-colours"
    assert violation.message == "Suede comes only in Black, Brown or Sand"
    assert [v.code for v in shoe.validate({"color": "teal", "size": "42"})] == [
        "engine.V001",
        "engine.V003",
        "engine.V002",
    ]


def test_unknown_value_in_a_selection_is_refused(shoe):
    with pytest.raises(SelectionError) as caught:
        shoe.valid_values({"color": "teal"})
    assert [v.code for v in caught.value.violations] == ["engine.V002"]


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


# Price and display.


def test_price_lines_in_vnd_and_usd():
    doc = copy.deepcopy(SHOE)
    doc["groups"][0]["values"][1]["price_delta"] = "250000"
    engine = compile_option_set(doc)
    price = engine.price({"material": "suede", "color": "black"})
    assert [(line.kind, line.group, line.value, line.amount) for line in price.lines] == [
        ("base", "", "", Decimal("1000000")),
        ("value", "material", "suede", Decimal("250000")),
    ]
    assert price.total == Decimal("1250000")
    assert str(price.total) == "1250000"
    doc["product"].update(currency="USD", base_price="49.90")
    doc["groups"][0]["values"][1]["price_delta"] = "12.5"
    price = compile_option_set(doc).price({"material": "suede", "color": "black"})
    assert str(price.total) == "62.40"


def test_display_limits():
    shown = display_values(["a", "b", "c", "d", "e"], ranking=["d", "b"], limit=3)
    assert shown.shown == ("d", "b", "a") and shown.more == 2
    kept = display_values(["a", "b", "c", "d", "e"], ranking=["d", "b"], limit=3, keep=["e"])
    assert kept.shown == ("d", "b", "e") and kept.more == 2  # the choice keeps its rank
    assert display_values(["a", "b"], ranking=[], limit=5).more == 0


def test_display_uses_the_groups_limit(shoe):
    doc = copy.deepcopy(SHOE)
    doc["groups"][1]["max_visible_values"] = 2
    engine = compile_option_set(doc)
    valid = engine.valid_values({"material": "suede"})["color"]
    result = engine.display("color", valid, ranking=["sand"])
    assert result.shown == ("sand", "black")
    assert result.more == 1


# Storage.


def test_round_trip_through_bytes(shoe):
    loaded = Engine.from_bytes(shoe.to_bytes())
    assert loaded.configurations == shoe.configurations
    selection = {"material": "suede"}
    assert loaded.valid_values(selection) == shoe.valid_values(selection)
    with pytest.raises(ValueError, match="Not a compiled option set"):
        Engine.from_bytes(b"garbage")


# Bad option sets are refused with every reason.


def test_unknown_value_and_wrong_arity_are_refused():
    doc = copy.deepcopy(SHOE)
    doc["rules"] = [
        {"kind": "allowed", "groups": ["material", "color"], "rows": [["suede", "teal"]]},
        {"kind": "allowed", "groups": ["material", "color"], "rows": [["suede"]]},
        {"kind": "requires", "if": {"size": ["42"]}, "then": {"color": ["black"]}},
    ]
    with pytest.raises(EngineError) as caught:
        compile_option_set(doc)
    assert [(i.code, i.path) for i in caught.value.issues] == [
        ("engine.E025", "$.rules[0].rows[0][1]"),
        ("engine.E023", "$.rules[1].rows[0]"),
        ("engine.E021", "$.rules[2].if.size"),
    ]


def test_contradictory_rules_are_refused_naming_them():
    doc = copy.deepcopy(SHOE)
    doc["rules"] = [
        {"kind": "requires", "id": "r1", "if": {"material": ["suede"]}, "then": {"color": ["red"]}},
        SUEDE,
        {"kind": "forbidden", "id": "no-canvas", "groups": ["material"], "rows": [["canvas"]]},
        {"kind": "forbidden", "id": "harmless", "groups": ["lace"], "rows": [["white"]]},
    ]
    with pytest.raises(EngineError) as caught:
        compile_option_set(doc)
    [issue] = caught.value.issues
    assert issue.code == "engine.E040"
    assert issue.message.endswith("contradict each other: no-canvas, r1, suede-colours.")


def test_inactive_values_are_never_offered():
    doc = copy.deepcopy(SHOE)
    doc["groups"][1]["values"][4]["extensions"] = {"active": False}  # red
    doc["rules"].append({"kind": "forbidden", "groups": ["color"], "rows": [["red"]]})
    engine = compile_option_set(doc)
    assert "red" not in engine.valid_values({})["color"]
    assert engine.configurations == (4 + 3) * 3


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
