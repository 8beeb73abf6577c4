"""References the engine is measured and checked against, written the straightforward way.

- :class:`SatReference`: a SAT solver (CaDiCaL through python-sat) answering valid values
  by one call per candidate value, with model-based pruning: each model found supports
  every value it assigns.
- :class:`BddReference`: one BDD of the whole option set in CUDD (through ``dd``), rules
  conjoined in document order, dynamic reordering on: the textbook compilation.

Both take option-set/1 documents of ``choice`` groups with table rules (the Renault models).
"""

from __future__ import annotations

import itertools
from typing import Any

from pysat.card import CardEnc, EncType
from pysat.solvers import Solver

EMPTY = None


class SatReference:
    def __init__(self, document: dict[str, Any], solver: str = "cadical153") -> None:
        self.groups: dict[str, list[str | None]] = {}
        self.var: dict[tuple[str, str | None], int] = {}
        counter = itertools.count(1)
        for group in document["groups"]:
            domain: list[str | None] = [v["code"] for v in group["values"]]
            if not group.get("required", True):
                domain.append(EMPTY)
            self.groups[group["code"]] = domain
            for value in domain:
                self.var[(group["code"], value)] = next(counter)
        clauses: list[list[int]] = []
        top = len(self.var)
        for code, domain in self.groups.items():
            literals = [self.var[(code, v)] for v in domain]
            encoded = CardEnc.equals(literals, bound=1, top_id=top, encoding=EncType.pairwise)
            clauses.extend(encoded.clauses)
        for rule in document["rules"]:
            if rule["kind"] == "forbidden":  # no row may match: one clause per row
                for row in rule["rows"]:
                    clauses.append(
                        [
                            -self.var[(code, cell)]
                            for code, cell in zip(rule["groups"], row, strict=True)
                            if cell != "*"
                        ]
                    )
                continue
            selectors = []  # allowed: some row's selector holds, and implies its cells
            for row in rule["rows"]:
                top += 1
                selectors.append(top)
                for code, cell in zip(rule["groups"], row, strict=True):
                    if cell != "*":
                        clauses.append([-top, self.var[(code, cell)]])
            clauses.append(selectors)
        self.solver = Solver(name=solver, bootstrap_with=clauses)

    def _assume(self, selection: dict[str, Any], skip: str | None = None) -> list[int]:
        return [self.var[(code, value)] for code, value in selection.items() if code != skip]

    def _model_values(self, model: list[int]) -> dict[str, str | None]:
        true = {lit for lit in model if lit > 0}
        return {
            code: next(v for v in domain if self.var[(code, v)] in true)
            for code, domain in self.groups.items()
        }

    def consistent(self, selection: dict[str, Any]) -> bool:
        return bool(self.solver.solve(assumptions=self._assume(selection)))

    def valid_values(self, selection: dict[str, Any]) -> dict[str, frozenset[str | None]]:
        supported: dict[str, set[str | None]] = {code: set() for code in self.groups}
        base = self._assume(selection)
        if self.solver.solve(assumptions=base):
            for code, value in self._model_values(self.solver.get_model()).items():
                supported[code].add(value)
            for code, domain in self.groups.items():
                if code in selection:
                    continue
                for value in domain:
                    if value in supported[code]:
                        continue
                    if self.solver.solve(assumptions=[*base, self.var[(code, value)]]):
                        for c, v in self._model_values(self.solver.get_model()).items():
                            supported[c].add(v)
        for code in selection:
            others = self._assume(selection, skip=code)
            for value in self.groups[code]:
                if value in supported[code]:
                    continue
                if self.solver.solve(assumptions=[*others, self.var[(code, value)]]):
                    supported[code].add(value)
        return {code: frozenset(values) for code, values in supported.items()}


class BddReference:
    def __init__(self, document: dict[str, Any]) -> None:
        from dd import cudd

        self.bdd = bdd = cudd.BDD()
        bdd.configure(reordering=True)
        self.groups: dict[str, list[str | None]] = {}
        self.bits: dict[str, list[str]] = {}
        for group in document["groups"]:
            domain: list[str | None] = [v["code"] for v in group["values"]]
            if not group.get("required", True):
                domain.append(EMPTY)
            code = group["code"]
            self.groups[code] = domain
            width = max(1, (len(domain) - 1).bit_length())
            self.bits[code] = [f"{code}_b{i}" for i in range(width)]
            bdd.declare(*self.bits[code])
        f = bdd.true
        for code, domain in self.groups.items():
            f &= self._any(code, range(len(domain)))
        for rule in document["rules"]:
            table = bdd.false
            for row in rule["rows"]:
                cube = bdd.true
                for code, cell in zip(rule["groups"], row, strict=True):
                    if cell != "*":
                        cube &= self._eq(code, self.groups[code].index(cell))
                table |= cube
            f &= table if rule["kind"] == "allowed" else ~table
        self.f = f

    def _eq(self, code: str, index: int):
        return self.bdd.cube(
            {name: bool((index >> b) & 1) for b, name in enumerate(self.bits[code])}
        )

    def _any(self, code: str, indexes):
        result = self.bdd.false
        for index in indexes:
            result |= self._eq(code, index)
        return result

    def count(self) -> float:
        """CUDD's model count (a float: exact below 2**53)."""
        names = [name for bits in self.bits.values() for name in bits]
        return float(self.bdd.count(self.f, nvars=len(names)))

    def valid_values(self, selection: dict[str, Any]) -> dict[str, frozenset[str | None]]:
        result = {}
        all_bits = {name for bits in self.bits.values() for name in bits}
        for code, domain in self.groups.items():
            h = self.f
            for other, value in selection.items():
                if other != code:
                    h &= self._eq(other, self.groups[other].index(value))
            projected = self.bdd.exist(all_bits - set(self.bits[code]), h)
            result[code] = frozenset(
                value
                for i, value in enumerate(domain)
                if (projected & self._eq(code, i)) != self.bdd.false
            )
        return result
