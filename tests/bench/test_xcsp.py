"""XCSP 2.1 reading and conversion to option-set/1, on tiny inline instances."""

from __future__ import annotations

import pytest

from bench.xcsp import (
    XcspConstraint,
    XcspError,
    XcspModel,
    xcsp_parse,
    xcsp_to_option_set,
)
from configurator.engine import compile_option_set

TINY = """<instance>
 <presentation format="XCSP 2.1" type="CSP" name="tiny"/>
 <domains nbDomains="2">
  <domain name="D0" nbValues="3">0..2</domain>
  <domain name="D1" nbValues="3" optional="-1">0 1 -1</domain>
 </domains>
 <variables nbVariables="3">
  <variable name="a" domain="D0"/><variable name="b" domain="D1"/>
  <variable name="c" domain="D0"/>
 </variables>
 <relations nbRelations="2">
  <relation name="r" arity="2" nbTuples="5" semantics="supports">0 0|1 -1|2 1|2 -1|7 0</relation>
  <relation name="n" arity="2" nbTuples="1" semantics="conflicts">1 2</relation>
 </relations>
 <constraints nbConstraints="3">
  <constraint name="ab" arity="2" scope="a b" reference="r"/>
  <constraint name="cb" arity="2" scope="c b" reference="r"/>
  <constraint name="ac" arity="2" scope="a c" reference="n"/>
 </constraints>
</instance>"""

SUPPORTS = (("0", "0"), ("1", "-1"), ("2", "1"), ("2", "-1"), ("7", "0"))


def test_xcsp_parse_reads_intervals_jokers_and_both_semantics():
    model = xcsp_parse(TINY)

    assert model == XcspModel(
        name="tiny",
        variables=(("a", ("0", "1", "2")), ("b", ("0", "1", "-1")), ("c", ("0", "1", "2"))),
        constraints=(
            XcspConstraint("ab", ("a", "b"), SUPPORTS, supports=True),
            XcspConstraint("cb", ("c", "b"), SUPPORTS, supports=True),
            XcspConstraint("ac", ("a", "c"), (("1", "2"),), supports=False),
        ),
    )


def test_xcsp_to_option_set_makes_jokers_optional_and_null():
    document = xcsp_to_option_set(xcsp_parse(TINY), sku="TINY")

    values = [{"code": code, "name": code} for code in ("0", "1", "2")]
    rows = [["0", "0"], ["1", None], ["2", "1"], ["2", None]]  # "7" is outside a's domain
    assert document == {
        "format": "option-set/1",
        "product": {"sku": "TINY", "name": "TINY", "base_price": "0", "currency": "EUR"},
        "groups": [
            {"code": "a", "name": "a", "kind": "choice", "values": values},
            {
                "code": "b",
                "name": "b",
                "kind": "choice",
                "values": values[:2],
                "required": False,
            },
            {"code": "c", "name": "c", "kind": "choice", "values": values},
        ],
        "rules": [
            {"kind": "allowed", "id": "ab", "groups": ["a", "b"], "rows": rows},
            {"kind": "allowed", "id": "cb", "groups": ["c", "b"], "rows": rows},
            {"kind": "forbidden", "id": "ac", "groups": ["a", "c"], "rows": [["1", "2"]]},
        ],
    }


def test_converted_document_compiles_to_the_solutions_of_the_instance():
    engine = compile_option_set(xcsp_to_option_set(xcsp_parse(TINY), sku="TINY"))

    # b=0: a=c=0; b=1: a=c=2; b empty: a, c in {1, 2} but not (1, 2): 1 + 1 + 3
    assert engine.configurations == 5
    assert engine.valid_values({"a": "1"}) == {
        "a": frozenset({"0", "1", "2"}),
        "b": frozenset({None}),
        "c": frozenset({"1"}),
    }


def test_xcsp_parse_reports_every_problem_with_its_code_and_element():
    broken = """<instance>
     <domains><domain name="D">0 x 1 1</domain></domains>
     <variables>
      <variable name="a" domain="D"/><variable name="a" domain="D"/>
      <variable name="b" domain="E"/>
     </variables>
     <relations>
      <relation name="r" arity="2" semantics="maybe">0 1|0</relation>
      <relation name="s" arity="two">0</relation>
     </relations>
     <constraints>
      <constraint name="k1" scope="a z" reference="r"/>
      <constraint name="k2" scope="a" reference="r"/>
      <constraint name="k3" scope="a b" reference="allDifferent"/>
     </constraints>
    </instance>"""

    with pytest.raises(XcspError) as raised:
        xcsp_parse(broken)

    assert [(p.code, p.path) for p in raised.value.problems] == [
        ("xcsp.E002", "domain[@name='D']"),
        ("xcsp.E003", "domain[@name='D']"),
        ("xcsp.E010", "relation[@name='r']"),
        ("xcsp.E011", "relation[@name='r']"),
        ("xcsp.E012", "relation[@name='s']"),
        ("xcsp.E011", "relation[@name='s']"),
        ("xcsp.E020", "variable[@name='a']"),
        ("xcsp.E021", "variable[@name='b']"),
        ("xcsp.E030", "constraint[@name='k1']"),
        ("xcsp.E032", "constraint[@name='k2']"),
        ("xcsp.E031", "constraint[@name='k3']"),
    ]
    assert raised.value.problems[3].message == "1 tuple(s) do not have 2 values (first: tuple 1)."


def test_xcsp_parse_refuses_what_is_not_xml():
    with pytest.raises(XcspError) as raised:
        xcsp_parse("<instance><domains>")

    assert [p.code for p in raised.value.problems] == ["xcsp.E001"]
