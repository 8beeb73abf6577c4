"""Number groups in the engine: a grid of exact values, rules over ranges, prices by formula."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.numbers import NumberError, grid_of, parse_formula
from configurator.engine import Engine, EngineError, SelectionError, compile_option_set

from . import brute
from .documents import choice, document


def width(**extra: Any) -> dict[str, Any]:
    group = {"code": "width", "name": {"vi": "Chiều rộng"}, "kind": "number", "unit": "cm"}
    return group | {"minimum": "50", "maximum": "300", "increment": "10"} | extra


def height(**extra: Any) -> dict[str, Any]:
    group = {"code": "height", "name": {"vi": "Chiều cao"}, "kind": "number", "unit": "cm"}
    return group | {"minimum": "50", "maximum": "200", "increment": "10"} | extra


COTTON_NARROW = {
    "kind": "requires",
    "id": "cotton-width",
    "message": {"vi": "Vải cotton chỉ rộng tối đa 200 cm"},
    "if": {"material": ["cotton"]},
    "then": {"width": ["<=200"]},
}
BANNER = document(
    [
        choice("material", ["cotton", "pvc"]),
        width(default="100"),
        height(price_formula="width * height / 10000 * 150000"),
    ],
    [COTTON_NARROW],
)


@pytest.fixture(scope="module")
def banner() -> Engine:
    return compile_option_set(BANNER)


def codes(start: int, stop: int, step: int = 10) -> frozenset[str]:
    return frozenset(str(n) for n in range(start, stop + 1, step))


def test_number_group_is_its_grid_of_values(banner: Engine) -> None:
    # 2 materials × 26 widths × 16 heights, minus cotton wider than 200 (10 widths × 16)
    assert banner.configurations == 2 * 26 * 16 - 10 * 16
    assert banner.valid_values({})["width"] == codes(50, 300)


def test_rule_over_a_range_limits_the_valid_numbers(banner: Engine) -> None:
    valid = banner.valid_values({"material": "cotton"})
    assert valid["width"] == codes(50, 200)
    assert banner.valid_values({"width": "250"})["material"] == frozenset({"pvc"})


def test_explain_names_the_rule_and_repairs_the_material(banner: Engine) -> None:
    explanation = banner.explain({"material": "cotton"}, "width", "250")
    assert explanation is not None
    assert explanation.conflict == ("material",)
    assert [rule.id for rule in explanation.rules] == ["cotton-width"]
    assert explanation.repair is not None
    assert dict(explanation.repair.changes) == {"material": "pvc"}


@pytest.mark.parametrize(("chosen", "nearest"), [("250", "200"), ("300", "200"), ("210", "200")])
def test_a_repair_that_changes_a_number_takes_the_nearest_one_allowed(
    banner: Engine, chosen: str, nearest: str
) -> None:
    """A shopper who typed 250 cm and wants cotton is offered 200 cm, not the smallest 50."""
    explanation = banner.explain({"width": chosen, "height": "100"}, "material", "cotton")
    assert explanation is not None
    assert explanation.repair is not None
    assert dict(explanation.repair.changes) == {"width": nearest}


@pytest.mark.parametrize("chosen", [120, "120", "120.0", "120.000", Decimal("120")])
def test_a_number_is_read_in_any_exact_spelling(banner: Engine, chosen: Any) -> None:
    selection = {"material": "pvc", "width": chosen, "height": "100"}
    assert banner.validate(selection) == ()
    assert banner.valid_values(selection)["material"] == frozenset({"cotton", "pvc"})


@pytest.mark.parametrize(
    ("chosen", "code", "message"),
    [
        ("400", "engine.V013", "“width” takes a number from 50 cm to 300 cm."),
        ("40", "engine.V013", "“width” takes a number from 50 cm to 300 cm."),
        (125, "engine.V014", "“width” takes a number from 50 cm to 300 cm in steps of 10 cm."),
        ("120.5", "engine.V014", "“width” takes a number from 50 cm to 300 cm in steps of 10 cm."),
        ("wide", "engine.V006", "“width” takes a number."),
        (120.0, "engine.V006", "“width” takes a number."),
        (True, "engine.V006", "“width” takes a number."),
    ],
)
def test_a_number_off_the_grid_is_refused_with_its_code(
    banner: Engine, chosen: Any, code: str, message: str
) -> None:
    violations = banner.validate({"material": "pvc", "width": chosen, "height": "100"})
    assert [(v.code, v.message, v.groups) for v in violations] == [(code, message, ("width",))]
    with pytest.raises(SelectionError) as caught:
        banner.valid_values({"width": chosen})
    assert [v.code for v in caught.value.violations] == [code]


def test_rule_violation_names_the_number(banner: Engine) -> None:
    violations = banner.validate({"material": "cotton", "width": 250, "height": "100"})
    assert [(v.code, v.groups, v.values) for v in violations] == [
        ("engine.V032", ("material", "width"), ("cotton", "250"))
    ]


def test_formula_prices_the_area_exactly_in_dong(banner: Engine) -> None:
    price = banner.price({"material": "pvc", "width": "120", "height": "90"})
    # 120 × 90 / 10000 × 150000 = 162000
    assert [(line.kind, line.group, line.value, line.amount) for line in price.lines] == [
        ("base", "", "", Decimal("1000000")),
        ("number", "height", "90", Decimal("162000")),
    ]
    assert price.total == Decimal("1162000")


def test_formula_waits_for_every_number_it_reads(banner: Engine) -> None:
    price = banner.price({"material": "pvc", "height": "90"})
    assert [line.kind for line in price.lines] == ["base"]


def test_price_per_unit_rounds_to_the_currency() -> None:
    strap = document(
        [
            {
                "code": "length",
                "name": "Dài",
                "kind": "number",
                "minimum": "0.5",
                "maximum": "2",
                "increment": "0.25",
                "unit": "m",
                "price_per_unit": "33333",
            }
        ]
    )
    engine = compile_option_set(strap)
    assert engine.valid_values({})["length"] == frozenset(
        {"0.5", "0.75", "1", "1.25", "1.5", "1.75", "2"}
    )
    price = engine.price({"length": "1.25"})
    assert [(line.kind, line.amount) for line in price.lines][1:] == [
        ("number", Decimal("41666"))  # 41666.25 rounded to whole dong
    ]


def test_complete_takes_the_default_number(banner: Engine) -> None:
    assert banner.complete({"material": "pvc"}) == {
        "material": "pvc",
        "width": "100",
        "height": "50",
    }


def test_optional_number_can_be_left_empty() -> None:
    engine = compile_option_set(document([width(required=False)]))
    assert None in engine.valid_values({})["width"]
    assert engine.validate({"width": None}) == ()


def test_storage_keeps_number_groups(banner: Engine) -> None:
    again = Engine.from_bytes(banner.to_bytes())
    assert again.valid_values({"material": "cotton"})["width"] == codes(50, 200)
    assert again.price({"width": 100, "height": 100}).total == Decimal("1150000")


def test_engine_refuses_a_bad_grid_and_a_condition_naming_no_value() -> None:
    bad = document([choice("material", ["cotton"]), width(maximum="305")])
    with pytest.raises(EngineError) as caught:
        compile_option_set(bad)
    assert [(i.code, i.path) for i in caught.value.issues] == [("engine.E012", "$.groups[1]")]
    bad = document(
        [choice("material", ["cotton"]), width()],
        [{"kind": "requires", "if": {"material": ["cotton"]}, "then": {"width": [">900"]}}],
    )
    with pytest.raises(EngineError) as caught:
        compile_option_set(bad)
    assert [(i.code, i.path) for i in caught.value.issues] == [
        ("engine.E033", "$.rules[0].then.width")
    ]


def test_grid_is_limited_to_a_thousand_values() -> None:
    assert grid_of(Decimal(1), Decimal(1000), Decimal(1)).count == 1000
    with pytest.raises(NumberError, match="more than 1000 values"):
        grid_of(Decimal(0), Decimal(1000), Decimal(1))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("width * ", "the formula ends too early"),
        ("width ** 2", "unexpected “*” at character 8"),
        ("width / height", "divide only by a number other than 0 (character 9)"),
        ("width / 0", "divide only by a number other than 0 (character 9)"),
        ("(width * 2", "the formula ends too early"),
        ("width; import os", "unexpected “;” at character 6"),
        ("__import__('os')", "unexpected “'” at character 12"),
    ],
)
def test_formula_errors_say_where(text: str, reason: str) -> None:
    with pytest.raises(NumberError) as caught:
        parse_formula(text)
    assert str(caught.value) == reason


def test_formula_reads_braced_codes_and_keeps_precedence() -> None:
    formula = parse_formula("{body-width} * 2 + -(3 - 1) / 4")
    assert formula.groups == ("body-width",)
    assert formula.amount({"body-width": Decimal("1.5")}) == Decimal("2.5")


@st.composite
def number_cases(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    step = draw(st.sampled_from(["1", "0.5", "10", "0.25"]))
    low = draw(st.sampled_from(["0", "1", "20", "0.5"]))
    high = str(Decimal(low) + Decimal(step) * draw(st.integers(0, 5)))
    group = {"code": "n", "name": "N", "kind": "number", "minimum": low, "maximum": high}
    group |= {"increment": step, "required": draw(st.booleans())}
    values = brute.number_values(group)
    bound = draw(st.sampled_from(values))
    other = draw(st.sampled_from(values))
    item = draw(
        st.sampled_from(
            [bound, f">{bound}", f">={bound}", f"<{bound}", f"<={bound}", f"{bound}..{other}"]
        )
    )
    rule = {"kind": draw(st.sampled_from(["requires", "excludes"])), "if": {"c": ["a"]}}
    rule["then"] = {"n": [item]}
    doc = document([choice("c", ["a", "b"]), group], [rule])
    selection = {"c": draw(st.sampled_from(["a", "b"]))} if draw(st.booleans()) else {}
    return doc, selection


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(number_cases())
def test_rules_over_numbers_agree_with_enumeration(case: tuple[dict, dict]) -> None:
    doc, selection = case
    try:
        engine = compile_option_set(doc)
    except EngineError as caught:  # an empty range, or a rule leaving nothing
        codes = {issue.code for issue in caught.issues}
        assert codes <= {"engine.E033", "engine.E040", "engine.E041"}
        return
    assert engine.valid_values(selection) == brute.valid_values(doc, selection)
