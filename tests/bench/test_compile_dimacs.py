"""DIMACS CNF to option-set/1 for the compile benchmark, on tiny inline files."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from bench.dimacs import dimacs_read, dimacs_to_option_set
from bench.reference import BddReference
from configurator.engine import compile_option_set

# (1 or 2) and (not 2 or 3) and (not 4) and (3 or not 3): the last always holds.
TINY = "c 1 Base\nc 2 Wifi\nc 3 Antenna\nc 4 Legacy\np cnf 4 4\n1 2 0\n-2 3 0\n-4 0\n3 -3 0\n"


def _models(count: int, clauses: list[list[int]]) -> int:
    return sum(
        all(any((lit > 0) == bits[abs(lit) - 1] for lit in clause) for clause in clauses)
        for bits in itertools.product((False, True), repeat=count)
    )


def test_dimacs_read_keeps_names_count_and_clauses(tmp_path: Path) -> None:
    path = tmp_path / "tiny.dimacs"
    path.write_text(TINY)

    names, count, clauses = dimacs_read(path)

    assert names == {1: "Base", 2: "Wifi", 3: "Antenna", 4: "Legacy"}
    assert count == 4
    assert clauses == [[1, 2], [-2, 3], [-4], [3, -3]]


def test_dimacs_to_option_set_rules_and_counts_equal_the_cnf_models(tmp_path: Path) -> None:
    path = tmp_path / "tiny.dimacs"
    path.write_text(TINY)

    document = dimacs_to_option_set(path, sku="TINY")

    assert [g["name"] for g in document["groups"]] == ["Base", "Wifi", "Antenna", "Legacy"]
    assert document["rules"] == [
        {"kind": "requires", "id": "c1", "if": {"f1": ["no"]}, "then": {"f2": ["yes"]}},
        {"kind": "requires", "id": "c2", "if": {"f2": ["yes"]}, "then": {"f3": ["yes"]}},
        {"kind": "allowed", "id": "c3", "groups": ["f4"], "rows": [["no"]]},
    ]
    expected = _models(4, dimacs_read(path)[2])
    assert expected == 4
    assert compile_option_set(document).configurations == expected
    assert BddReference(document).count() == expected


def test_dimacs_read_refuses_a_variable_past_the_header(tmp_path: Path) -> None:
    path = tmp_path / "bad.dimacs"
    path.write_text("p cnf 2 1\n1 3 0\n")

    with pytest.raises(ValueError, match=r"bad\.dimacs:2: variable 3 past 2"):
        dimacs_read(path)
