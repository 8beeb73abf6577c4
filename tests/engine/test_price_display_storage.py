"""The engine's prices, display limits and storage as bytes, against hand-computed answers."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from configurator.engine import Engine, compile_option_set, display_values

from .documents import SHOE

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
