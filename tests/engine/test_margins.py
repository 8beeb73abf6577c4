"""The lowest margin: exact against brute force, in both passes (floating point and integers)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from configurator.engine import compile_option_set
from configurator.engine import margins as margins_module

from . import brute
from .test_properties import compiled_or_none, option_sets

MARGIN_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
AMOUNTS = ["0", "1000", "5000", "12000", "30000"]
KEEPS = ["0", "10", "33.33", "50"]


@st.composite
def priced_option_sets(draw: st.DrawFn, amounts: list[str] = AMOUNTS) -> dict[str, Any]:
    """Generated option sets with a price and a cost on everything that can carry one."""
    doc = draw(option_sets())
    amount = st.sampled_from(amounts)
    doc["product"] |= {"base_price": draw(amount), "base_cost": draw(amount)}
    if draw(st.booleans()):
        doc["groups"].append(
            {"code": "pic", "name": "Ảnh", "kind": "image", "required": draw(st.booleans())}
        )
    for group in doc["groups"]:
        for value in group.get("values", []):
            value |= {"price_delta": draw(amount), "cost": draw(amount)}
        if group["kind"] in ("text", "image"):
            group |= {"price_delta": draw(amount), "cost": draw(amount)}
        if group["kind"] == "text":
            group |= {
                "max_length": draw(st.integers(1, 3)),
                "price_per_char": draw(amount),
                "cost_per_char": draw(amount),
            }
    return doc


def _amount(raw: dict[str, Any], key: str) -> Decimal:
    return Decimal(raw.get(key, "0"))


def price_and_cost(doc: dict[str, Any], config: dict[str, Any], letters: dict[str, int]):
    """By the definition in docs/option-set-format.md, from the document itself."""
    price = _amount(doc["product"], "base_price")
    cost = _amount(doc["product"], "base_cost")
    for group in doc["groups"]:
        chosen = config[group["code"]]
        if group["kind"] in ("choice", "multi"):
            picked = [chosen] if group["kind"] == "choice" else list(chosen)
            for value in group["values"]:
                if value["code"] in picked:
                    price += _amount(value, "price_delta")
                    cost += _amount(value, "cost")
        elif chosen not in (None, ""):
            n = letters.get(group["code"], 0)
            price += _amount(group, "price_delta") + n * _amount(group, "price_per_char")
            cost += _amount(group, "cost") + n * _amount(group, "cost_per_char")
    return price, cost


def every_priced_configuration(doc: dict[str, Any]):
    """Every valid configuration, each text at every length from 0 to its max_length."""
    texts = [g for g in doc["groups"] if g["kind"] == "text"]
    for config in brute.configurations(doc):
        for lengths in itertools.product(*(range(g["max_length"] + 1) for g in texts)):
            letters = {g["code"]: n for g, n in zip(texts, lengths, strict=True)}
            yield config, price_and_cost(doc, config, letters)


def objective(price: Decimal, cost: Decimal, keep: Decimal) -> Decimal:
    return (100 - keep) * price - 100 * cost


def assert_lowest(doc: dict[str, Any], keep: Decimal) -> None:
    engine, _ = compiled_or_none(doc)
    assume(engine is not None)
    found = engine.lowest_margin(keep=keep)
    best = min(objective(p, c, keep) for _, (p, c) in every_priced_configuration(doc))
    assert found is not None
    assert objective(found.price, found.cost, keep) == best
    assert engine.validate(found.selection) == ()
    assert (found.price, found.cost) == price_and_cost(doc, found.selection, found.characters)
    assert found.price == engine.price(found.selection).total
    assert found.cost == engine.cost(found.selection).total


@MARGIN_SETTINGS
@given(priced_option_sets(), st.sampled_from(KEEPS))
def test_lowest_margin_matches_enumeration(doc, keep):
    assert_lowest(doc, Decimal(keep))


@MARGIN_SETTINGS
@given(
    priced_option_sets(amounts=["0", "999999999999", "123456789012", "1"]), st.sampled_from(KEEPS)
)
def test_lowest_margin_is_exact_past_two_to_the_53(doc, keep):
    # Amounts near 10^12 with a minimum margin of 33.33 % weigh past 2^53: the integer pass.
    assert_lowest(doc, Decimal(keep))


@MARGIN_SETTINGS
@given(priced_option_sets())
def test_both_passes_find_the_same_objective(doc):
    engine, _ = compiled_or_none(doc)
    assume(engine is not None)
    weights = [
        [
            int(w)
            for w in margins_module._layer_weights(
                margins_module._Objective(Decimal(0)), layer, engine.groups[layer.group], {}, []
            )
        ]
        for layer in engine.diagram.layers
    ]
    fast = margins_module._best_path(engine.diagram, weights)
    exact = margins_module._best_path_exact(engine.diagram, weights)

    def total(path):
        return sum(weights[i][index] for i, index in enumerate(path))

    assert fast is not None and exact is not None
    assert total(fast) == total(exact)


def test_a_text_without_length_limit_that_loses_by_the_letter_is_unbounded():
    doc = {
        "format": "option-set/1",
        "product": {"sku": "T", "name": "Áo", "base_price": "100000", "currency": "VND"},
        "groups": [
            {
                "code": "monogram",
                "name": "Chữ thêu",
                "kind": "text",
                "price_per_char": "1000",
                "cost_per_char": "4000",
            }
        ],
    }
    found = compile_option_set(doc).lowest_margin()
    assert found is not None
    assert found.unbounded == ("monogram",)
    assert found.characters == {"monogram": 0}
    assert (found.price, found.cost, found.margin) == (Decimal(100000), Decimal(0), Decimal(100000))


def test_lowest_margin_names_the_values_and_counts_letters():
    doc = {
        "format": "option-set/1",
        "product": {
            "sku": "T",
            "name": "Áo thun",
            "base_price": "150000",
            "base_cost": "90000",
            "currency": "VND",
        },
        "groups": [
            {
                "code": "material",
                "name": "Chất liệu",
                "kind": "choice",
                "values": [
                    {"code": "cotton", "name": "Cotton", "price_delta": "20000", "cost": "50000"},
                    {"code": "poly", "name": "Poly", "cost": "10000"},
                ],
            },
            {
                "code": "color",
                "name": "Màu",
                "kind": "choice",
                "values": [
                    {"code": "white", "name": "Trắng"},
                    {"code": "black", "name": "Đen", "price_delta": "10000", "cost": "2000"},
                ],
            },
            {
                "code": "name",
                "name": "Tên",
                "kind": "text",
                "required": False,
                "max_length": 10,
                "price_delta": "10000",
                "cost": "2000",
                "price_per_char": "1000",
                "cost_per_char": "1500",
            },
        ],
        "rules": [
            {"kind": "forbidden", "groups": ["material", "color"], "rows": [["cotton", "white"]]}
        ],
    }
    found = compile_option_set(doc).lowest_margin()
    assert found is not None
    # cotton forces black (+8,000); cotton is −30,000, poly −10,000 with white; the name adds
    # 10,000 − 2,000 and loses 500 a letter: 3,000 at 10 letters, more than leaving it empty.
    assert dict(found.selection) == {"material": "cotton", "color": "black", "name": ""}
    assert (found.price, found.cost) == (Decimal(180000), Decimal(142000))
    assert found.margin == Decimal(38000)
    assert found.percent == Decimal("21.1")


def test_lowest_margin_tells_apart_configurations_one_unit_apart_past_two_to_the_53():
    # Weighed for a minimum margin of 33.33 %, "b" is 1 unit worse than "a" at about 10^16,
    # where floating point cannot tell them apart (it would keep the first, "a").
    cost_a = 10**12 - 10**4
    doc = {
        "format": "option-set/1",
        "product": {"sku": "T", "name": "Áo", "base_price": "0", "currency": "VND"},
        "groups": [
            {
                "code": "g",
                "name": "G",
                "kind": "choice",
                "values": [
                    {"code": "a", "name": "A", "cost": str(cost_a)},
                    {"code": "b", "name": "B", "price_delta": "9997", "cost": str(cost_a + 6665)},
                ],
            }
        ],
    }
    keep = Decimal("33.33")
    below_a = objective(Decimal(0), Decimal(cost_a), keep)
    assert objective(Decimal(9997), Decimal(cost_a + 6665), keep) == below_a - Decimal("0.01")
    found = compile_option_set(doc).lowest_margin(keep=keep)
    assert found is not None
    assert found.selection == {"g": "b"}
