"""The benchmark's converter and references, on a tiny inline XCSP model."""

from __future__ import annotations

from bench.reference import BddReference, SatReference
from bench.xcsp import read_xcsp, to_option_set
from configurator.engine import compile_option_set

XCSP = """<instance>
 <presentation format="XCSP 2.1" type="CSP" name="tiny"/>
 <domains nbDomains="2">
  <domain name="D0" nbValues="3">0 1 2</domain>
  <domain name="D1" nbValues="3" optional="-1">0 1 -1</domain>
 </domains>
 <variables nbVariables="3">
  <variable name="a" domain="D0"/><variable name="b" domain="D1"/><variable name="c" domain="D0"/>
 </variables>
 <relations nbRelations="1">
  <relation name="r" arity="2" nbTuples="4" semantics="supports">0 0|1 -1|2 1|2 -1</relation>
 </relations>
 <constraints nbConstraints="2">
  <constraint name="ab" arity="2" scope="a b" reference="r"/>
  <constraint name="cb" arity="2" scope="c b" reference="r"/>
 </constraints>
</instance>"""


def document():
    return to_option_set(read_xcsp(XCSP), "TINY")


def test_conversion_makes_jokers_optional_and_null():
    doc = document()
    assert [(g["code"], g.get("required", True)) for g in doc["groups"]] == [
        ("a", True),
        ("b", False),
        ("c", True),
    ]
    assert doc["groups"][1]["values"] == [{"code": "0", "name": "0"}, {"code": "1", "name": "1"}]
    assert doc["rules"][0] == {
        "kind": "allowed",
        "id": "ab",
        "groups": ["a", "b"],
        "rows": [["0", "0"], ["1", None], ["2", "1"], ["2", None]],
    }


def test_references_agree_with_the_engine():
    doc = document()
    engine = compile_option_set(doc)
    sat, bdd = SatReference(doc), BddReference(doc)
    # b=0: a=c=0; b=1: a=c=2; b empty: a,c in {1,2} each -> 1 + 1 + 4
    assert engine.configurations == bdd.count() == 6
    for selection in [{}, {"a": "2"}, {"b": None}, {"a": "0", "c": "2"}, {"b": "1"}]:
        assert engine.valid_values(selection) == sat.valid_values(selection)
        assert bdd.valid_values(selection) == sat.valid_values(selection)
    assert sat.valid_values({"a": "0"})["c"] == frozenset({"0"})
    assert sat.valid_values({"a": "0", "c": "2"})["a"] == frozenset({"1", "2"})
