"""References the engine is checked and measured against, written the straightforward way.

- :class:`SatReference`: a SAT solver (CaDiCaL through python-sat) over a one-hot encoding.
  Valid values by model enumeration under assumptions: every model found supports every
  value it assigns, and the next call asks for a model with a value not supported yet.
- :class:`BddReference`: one BDD of the whole option set in CUDD (through ``dd``) over a log
  encoding, rules conjoined in document order with dynamic reordering on (no static order,
  no variable groups): the textbook compilation.

Both read option-set/1 documents of ``choice`` groups with ``allowed`` / ``forbidden``
tables and ``requires`` / ``excludes`` rules (the Renault models use allowed tables only),
and answer with the engine's meaning: in ``valid_values``, a value of group ``g`` is valid
when the selection with ``g``'s choice replaced by it, every other choice kept, extends to a
valid configuration; ``None`` is an optional group left empty, and ``None`` on a required
group means "not chosen yet".
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from pysat.card import CardEnc, EncType
from pysat.examples.rc2 import RC2
from pysat.formula import WCNF
from pysat.solvers import Solver

Selection = Mapping[str, str | None]
Value = str | None


def _domains(document: Mapping[str, Any]) -> dict[str, tuple[Value, ...]]:
    """Each group's domain, ``None`` last for optional groups."""
    domains: dict[str, tuple[Value, ...]] = {}
    for group in document["groups"]:
        if group.get("kind", "choice") != "choice":
            raise ValueError(f"References take choice groups only, not “{group['kind']}”.")
        values: list[Value] = [v["code"] for v in group["values"]]
        if not group.get("required", True):
            values.append(None)
        domains[group["code"]] = tuple(values)
    return domains


def _chosen(domains: Mapping[str, tuple[Value, ...]], selection: Selection) -> dict[str, Value]:
    """The selection's real choices (``None`` on a required group is no choice)."""
    chosen = {}
    for code, value in selection.items():
        if code not in domains:
            raise KeyError(f"Unknown group “{code}”.")
        if value not in domains[code]:
            if value is None:
                continue
            raise KeyError(f"Unknown value “{value}” of “{code}”.")
        chosen[code] = value
    return chosen


class SatReference:
    """Valid values, consistency, completions and conflicts from a SAT solver."""

    def __init__(self, document: Mapping[str, Any], *, solver: str = "cadical153") -> None:
        self.domains = _domains(document)
        counter = itertools.count(1)
        self.var = {
            (code, value): next(counter)
            for code, domain in self.domains.items()
            for value in domain
        }
        self._value_of = {literal: key for key, literal in self.var.items()}
        self.clauses: list[list[int]] = []
        self.top = len(self.var)
        for domain_code, domain in self.domains.items():
            literals = [self.var[(domain_code, v)] for v in domain]
            # Pairwise is smallest for the usual small domains; a sequential counter keeps
            # the 324-value domain of the big model linear.
            encoding = EncType.pairwise if len(literals) <= 8 else EncType.seqcounter
            encoded = CardEnc.equals(literals, bound=1, top_id=self.top, encoding=encoding)
            self.top = max(self.top, encoded.nv)
            self.clauses.extend(encoded.clauses)
        for rule in document["rules"]:
            self._rule(rule)
        self.solver = Solver(name=solver, bootstrap_with=self.clauses)

    def _literal(self, code: str, cell: Value) -> int:
        return self.var[(code, cell)]

    def _rule(self, rule: Mapping[str, Any]) -> None:
        kind = rule["kind"]
        if kind in ("requires", "excludes"):
            # A condition holds when each named group takes a listed value: with one value
            # per group, "it holds" is "some pick of one listed value per group is true".
            condition = [[self._literal(g, v) for v in vs] for g, vs in rule["if"].items()]
            then = [[self._literal(g, v) for v in vs] for g, vs in rule["then"].items()]
            if kind == "excludes":
                parts, then = condition + then, []
            else:
                parts = condition
            for picks in itertools.product(*parts):
                negated = [-literal for literal in picks]
                if kind == "excludes":
                    self.clauses.append(negated)
                for part in then:
                    self.clauses.append([*negated, *part])
            return
        cells = [
            [(code, cell) for code, cell in zip(rule["groups"], row, strict=True) if cell != "*"]
            for row in rule["rows"]
        ]
        if kind == "forbidden":  # no row may match: one clause per row
            self.clauses.extend([-self._literal(c, v) for c, v in row] for row in cells)
            return
        selectors = []  # allowed: one selector per row; some row holds, and implies its cells
        for row in cells:
            self.top += 1
            selectors.append(self.top)
            self.clauses.extend([-self.top, self._literal(c, v)] for c, v in row)
        self.clauses.append(selectors)

    def _assumptions(self, chosen: Mapping[str, Value], skip: str | None = None) -> list[int]:
        return [self.var[(code, value)] for code, value in chosen.items() if code != skip]

    def _assignment(self) -> dict[str, Value]:
        model = self.solver.get_model() or []
        picked = (self._value_of.get(literal) for literal in model if literal > 0)
        return dict(key for key in picked if key is not None)

    def consistent(self, selection: Selection) -> bool:
        """Whether the selection extends to a valid configuration."""
        chosen = _chosen(self.domains, selection)
        return bool(self.solver.solve(assumptions=self._assumptions(chosen)))

    def complete(self, selection: Selection) -> dict[str, Value] | None:
        """Some valid configuration keeping the selection (no preference), or None."""
        if not self.consistent(selection):
            return None
        return self._assignment()

    def valid_values(self, selection: Selection) -> dict[str, frozenset[Value]]:
        chosen = _chosen(self.domains, selection)
        supported: dict[str, set[Value]] = {code: set() for code in self.domains}
        free = [(g, v) for g, domain in self.domains.items() if g not in chosen for v in domain]
        for group, value in self._supports(self._assumptions(chosen), free):
            supported[group].add(value)
        for code in chosen:
            others = self._assumptions(chosen, skip=code)
            # Models of the other choices support only this group's values.
            candidates = [(code, v) for v in self.domains[code]]
            supported[code] = {v for g, v in self._supports(others, candidates) if g == code}
        return {code: frozenset(values) for code, values in supported.items()}

    def _supports(
        self, assumptions: list[int], candidates: list[tuple[str, Value]]
    ) -> set[tuple[str, Value]]:
        """The candidates some model under ``assumptions`` assigns.

        Each call asks for a model assigning at least one candidate not seen yet (a clause
        switched on by a fresh literal, retired afterwards), and marks everything the model
        assigns: one call per model found, plus one unsatisfiable call at the end.
        """
        wanted = set(candidates)
        found: set[tuple[str, Value]] = set()
        while wanted:
            self.top += 1
            switch = self.top
            self.solver.add_clause([-switch, *(self.var[key] for key in wanted)])
            satisfiable = self.solver.solve(assumptions=[*assumptions, switch])
            assigned = set(self._assignment().items()) if satisfiable else set()
            self.solver.add_clause([-switch])  # (after reading the model: adding resets it)
            if not satisfiable:
                break
            found |= assigned
            wanted -= assigned
        return found

    def conflict(self, selection: Selection, group: str, value: Value) -> list[str] | None:
        """A subset-minimal set of chosen groups ruling out ``group = value``, or None.

        The solver's core under assumptions, then deletion: each remaining choice is dropped
        when the rest still rules the value out. Minimal, not necessarily smallest.
        """
        chosen = _chosen(self.domains, selection)
        chosen.pop(group, None)
        target = self.var[(group, value)]
        if self.solver.solve(assumptions=[*self._assumptions(chosen), target]):
            return None
        core = set(self.solver.get_core() or [])
        kept = [code for code in chosen if self.var[(code, chosen[code])] in core]
        for code in list(kept):
            trial = [self.var[(c, chosen[c])] for c in kept if c != code]
            if not self.solver.solve(assumptions=[*trial, target]):
                kept.remove(code)
        return kept

    def best_weight(self, selection: Selection, weights: Mapping[tuple[str, Value], int]) -> int:
        """The largest summed weight of a valid configuration keeping the selection.

        MaxSAT (RC2) with one soft clause per weighted value; integer weights. Raises
        ``ValueError`` when the selection admits no configuration.
        """
        chosen = _chosen(self.domains, selection)
        formula = WCNF()
        formula.extend(self.clauses)
        formula.extend([[literal] for literal in self._assumptions(chosen)])
        for key, weight in weights.items():
            if weight > 0:
                formula.append([self.var[key]], weight=weight)
        with RC2(formula) as rc2:
            if rc2.compute() is None:
                raise ValueError("These choices admit no valid configuration.")
            return sum(w for w in weights.values() if w > 0) - int(rc2.cost)

    def holds(self, configuration: Selection) -> bool:
        """Whether a complete configuration is valid."""
        chosen = _chosen(self.domains, configuration)
        return len(chosen) == len(self.domains) and self.consistent(chosen)


class BddReference:
    """The whole option set as one BDD: count and valid values by quantification."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        from dd import cudd  # imported here: only the benchmark needs CUDD directly

        self.bdd = bdd = cudd.BDD()
        bdd.configure(reordering=True)
        self.domains = _domains(document)
        self.bits: dict[str, list[str]] = {}
        for code, domain in self.domains.items():
            width = max(1, (len(domain) - 1).bit_length())
            self.bits[code] = [f"{code}_b{i}" for i in range(width)]
            bdd.declare(*self.bits[code])
        self._index = {
            code: {value: i for i, value in enumerate(domain)}
            for code, domain in self.domains.items()
        }
        f = bdd.true
        for code, domain in self.domains.items():
            f &= self._any(code, range(len(domain)))
        for rule in document["rules"]:
            f &= self._rule(rule)
        self.f = f

    def _assign(self, code: str, value: Value) -> dict[str, bool]:
        index = self._index[code][value]
        return {name: bool((index >> b) & 1) for b, name in enumerate(self.bits[code])}

    def _eq(self, code: str, value: Value) -> Any:
        return self.bdd.cube(self._assign(code, value))

    def _any(self, code: str, indexes: Iterable[int]) -> Any:
        result = self.bdd.false
        for index in indexes:
            result |= self._eq(code, self.domains[code][index])
        return result

    def _rule(self, rule: Mapping[str, Any]) -> Any:
        bdd = self.bdd
        if rule["kind"] in ("requires", "excludes"):
            condition, then = bdd.true, bdd.true
            for g, values in rule["if"].items():
                condition &= self._any(g, [self._index[g][v] for v in values])
            for g, values in rule["then"].items():
                then &= self._any(g, [self._index[g][v] for v in values])
            return ~condition | then if rule["kind"] == "requires" else ~(condition & then)
        table = bdd.false
        for row in rule["rows"]:
            cube: dict[str, bool] = {}
            for code, cell in zip(rule["groups"], row, strict=True):
                if cell != "*":
                    cube.update(self._assign(code, cell))
            table |= bdd.cube(cube)
        return table if rule["kind"] == "allowed" else ~table

    def count(self) -> int:
        """The exact number of valid configurations (an empty optional group is one value).

        Counted on the BDD's nodes in Python integers: CUDD's own count is a double, which
        loses digits past 2**53.
        """
        bdd = self.bdd
        n = len(bdd.vars)
        memo: dict[int, int] = {}

        def level(u: Any) -> int:
            return n if u in (bdd.true, bdd.false) else u.level

        def models(u: Any) -> int:  # assignments of the levels from u's level down
            if u == bdd.true:
                return 1
            if u == bdd.false:
                return 0
            key = int(u)
            if key not in memo:
                regular = ~u if u.negated else u
                low, high, at = regular.low, regular.high, regular.level
                plain = (models(low) << (level(low) - at - 1)) + (
                    models(high) << (level(high) - at - 1)
                )
                memo[key] = (1 << (n - at)) - plain if u.negated else plain
            return memo[key]

        return models(self.f) << level(self.f)

    def valid_values(self, selection: Selection) -> dict[str, frozenset[Value]]:
        chosen = _chosen(self.domains, selection)
        restricted = {code: self._eq(code, value) for code, value in chosen.items()}
        everything = self.f
        for cube in restricted.values():
            everything &= cube
        result = {}
        for code, domain in self.domains.items():
            h = everything
            if code in chosen:
                h = self.f
                for other, cube in restricted.items():
                    if other != code:
                        h &= cube
            others = [name for g, bits in self.bits.items() if g != code for name in bits]
            projected = self.bdd.exist(others, h)
            result[code] = frozenset(
                value for value in domain if projected & self._eq(code, value) != self.bdd.false
            )
        return result
