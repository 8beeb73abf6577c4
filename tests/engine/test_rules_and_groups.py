"""The engine's valid values per rule kind and group kind, its validation, and the option sets
it refuses, table-driven against hand-computed answers."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from configurator.engine import EngineError, ImageInfo, SelectionError, compile_option_set

from . import brute
from .documents import SHOE, SUEDE, choice, document

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
