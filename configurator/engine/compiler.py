"""Compile an option set into a layered decision diagram.

The rules are conjoined as a binary decision diagram in CUDD (through ``dd``, whose wheel
builds CUDD in: dynamic variable reordering and a C kernel we would not write better), each
layer's domain index in binary over a few BDD variables. Once every rule is in, the bits are
regrouped so that each layer's bits sit together, and the BDD is read out layer by layer into
a quasi-reduced multi-valued diagram (:class:`~configurator.engine.diagram.Diagram`): plain
integer arrays that the queries walk with NumPy, with no CUDD at request time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

import numpy as np

from .diagram import Diagram
from .layers import layers_of
from .spec import ANY, EngineError, GroupSpec, Issue, OptionSetSpec, RuleSpec

try:
    from dd import cudd as _bdd_backend

    _CUDD = True
except ImportError:  # pragma: no cover - the pure-Python BDD is a slow fallback
    from dd import autoref as _bdd_backend

    _CUDD = False

Function = Any
# With an order hint, the node count past which dynamic reordering comes back on.
_HINT_LIMIT = 400_000
# Without one, rules are first conjoined in document order with no reordering at all; past
# this many nodes in a rule or in the conjunction, the compile starts over with sifting.
_QUICK_LIMIT = 20_000
# A conjunction built without reordering is sifted once at the end when it has more nodes
# than this per BDD variable; below that, sifting gains nothing worth its fixed cost.
_SIFT_PER_VARIABLE = 4
_PROBE_SWAPS = 2_000
_PROBE_GAIN = 0.1
_MAX_SWAPS = 2_000_000  # CUDD's default
# CUDD's computed table starts at 262,144 slots (dd's default), which a compile of a few
# milliseconds spends most of its time allocating; CUDD grows the table when it is hit often.
_QUICK_CACHE_SLOTS = 1 << 14


class _Builder:
    """Owns the BDD manager and the layer-to-bits encoding."""

    def __init__(self, spec: OptionSetSpec, cache_slots: int | None = None) -> None:
        self.spec = spec
        self.layers = layers_of(spec)
        sizing = {"initial_cache_size": cache_slots} if cache_slots and _CUDD else {}
        self.bdd = _bdd_backend.BDD(**sizing)
        self.bits: list[list[str]] = []
        for i, layer in enumerate(self.layers):
            width = max(1, (layer.size - 1).bit_length())
            names = [f"L{i}b{b}" for b in range(width)]
            self.bdd.declare(*names)
            self.bits.append(names)
        self.by_group: dict[str, list[int]] = {}
        for i, layer in enumerate(self.layers):
            self.by_group.setdefault(layer.group, []).append(i)
        self._eq_cache: dict[tuple[int, int], Function] = {}
        self.tables: dict[int, np.ndarray] = {}

    def eq(self, layer: int, index: int) -> Function:
        """The BDD of ``layer == index``."""
        key = (layer, index)
        cached = self._eq_cache.get(key)
        if cached is None:
            bdd = self.bdd
            cube = {name: bool((index >> b) & 1) for b, name in enumerate(self.bits[layer])}
            cached = bdd.cube(cube)
            self._eq_cache[key] = cached
        return cached

    def any_of(self, layer: int, indexes: Iterable[int]) -> Function:
        result = None  # (no "false or ..." per value: a small compile is mostly such calls)
        for index in indexes:
            eq = self.eq(layer, index)
            result = eq if result is None else result | eq
        return self.bdd.false if result is None else result

    def start_order(self, hint: Sequence[tuple[str, str | None]] = ()) -> bool:
        """Place the layers in document order, each layer's bits grouped so that sifting
        moves them as one block; or in the order of ``hint``.

        Sifting starts from the document order. Against a FORCE order (Aloul, Markov and
        Sakallah, 2003, which this used to start from): as fast on the big Renault model with
        a smaller diagram (11,071 nodes instead of 17,308), faster on medium, 0.2 s slower on
        small; on feature models, whose variables follow the feature tree, sifting from
        FORCE's order did not finish pc-richmond in 300 s, against 1.4 s from the document
        order (docs/benchmarks.md, "Cold compile: what was tried"). The grouping keeps a
        layer's bits contiguous, which the read-out into a multi-valued diagram needs.

        ``hint`` is the layer order of an earlier compile of the same product, as
        ``(group, multi value or None)`` keys; when it covers most layers it is taken as it
        is (a new layer goes after the known ones, in document order) and True is returned:
        the caller can then skip most of the reordering, which is where compile time goes on
        big models.
        """
        count = len(self.layers)
        order = list(range(count))
        hinted = False
        if hint:
            hinted_rank = {key: r for r, key in enumerate(hint)}
            keys = [(layer.group, layer.value) for layer in self.layers]
            known = sum(key in hinted_rank for key in keys)
            if known >= 0.9 * count:
                order.sort(key=lambda i: (hinted_rank.get(keys[i], len(hint) + i), i))
                hinted = True
        presence = {i for i, layer in enumerate(self.layers) if layer.kind == "presence"}
        order = [i for i in order if i not in presence] + [i for i in order if i in presence]
        self.place(order)
        return hinted

    def place(self, order: Sequence[int]) -> None:
        """Put the layers' bits in ``order`` (layer indexes, top first), each layer's bits
        kept together as one block when CUDD reorders."""
        levels: dict[str, int] = {}
        for i in order:
            for name in reversed(self.bits[i]):
                levels[name] = len(levels)
        self.bdd.reorder(levels)
        for i in order:
            if len(self.bits[i]) > 1:
                self.bdd.group({self.bits[i][-1]: len(self.bits[i])})

    # Structure: domains, multi cardinality, required presence.

    def domain(self, layer: int) -> Function:
        size = self.layers[layer].size
        if size == 1 << len(self.bits[layer]):
            return self.bdd.true
        return self.any_of(layer, range(size))

    def cardinality(self, flags: Sequence[int], low: int, high: int) -> Function:
        """At least ``low`` and at most ``high`` of the flag layers are on."""
        bdd = self.bdd
        # counts[k] is the BDD of "exactly k of the flags seen so far are on".
        counts = [bdd.true]
        for layer in flags:
            on, off = self.eq(layer, 1), self.eq(layer, 0)
            nxt = [bdd.false] * (len(counts) + 1)
            for k, f in enumerate(counts):
                nxt[k] |= f & off
                nxt[k + 1] |= f & on
            counts = nxt[: high + 2]
        result = bdd.false
        for k in range(low, min(high, len(counts) - 1) + 1):
            result |= counts[k]
        return result

    def group_structure(self, group: GroupSpec) -> Function:
        layers = self.by_group[group.code]
        if group.kind == "multi":
            low = max(group.min, 1 if group.required else 0)
            high = group.max if group.max is not None else len(layers)
            return self.cardinality(layers, low, high)
        if group.kind in ("text", "image") and group.required:
            return self.eq(layers[0], 1)
        return self.bdd.true

    # Rules.

    def table_cells(self, rule: RuleSpec) -> np.ndarray:
        """The rule's rows as domain indexes, -1 for ``*`` (kept for explanations)."""
        cells = np.full((len(rule.rows), len(rule.groups)), -1, dtype=np.int32)
        columns = zip(*rule.rows, strict=True)  # empty when the table has no row
        for c, (code, column) in enumerate(zip(rule.groups, columns, strict=False)):
            domain = cast(tuple[str | None, ...], self.layers[self.by_group[code][0]].domain)
            index: dict[str | None, int] = {value: i for i, value in enumerate(domain)}
            index[ANY] = -1
            cells[:, c] = [index[cell] for cell in column]
        self.tables[rule.index] = cells
        return cells

    def table(self, rule: RuleSpec) -> Function:
        """OR over rows of AND over cells, built as a trie so shared prefixes are built once."""
        layers = [self.by_group[code][0] for code in rule.groups]
        rows: list[list[int | None]] = [
            [None if cell < 0 else cell for cell in row] for row in self.table_cells(rule).tolist()
        ]
        return self._trie(layers, rows, 0)

    def _trie(self, layers: list[int], rows: list[list[int | None]], column: int) -> Function:
        bdd = self.bdd
        if column == len(layers) or not rows:
            return bdd.true if rows else bdd.false
        branches: dict[int | None, list[list[int | None]]] = {}
        for row in rows:
            branches.setdefault(row[column], []).append(row)
        result = bdd.false
        for cell, subrows in branches.items():
            below = self._trie(layers, subrows, column + 1)
            result |= below if cell is None else (self.eq(layers[column], cell) & below)
        return result

    def condition(self, condition: dict[str, tuple[str, ...]]) -> Function:
        result = None
        for code, listed in condition.items():
            group = self.spec.group(code)
            layers = self.by_group[code]
            if group.kind == "choice":
                layer = layers[0]
                indexes = [self.layers[layer].index(v) for v in listed]
                part = self.any_of(layer, (i for i in indexes if i is not None))
            elif group.kind == "multi":
                flags = {self.layers[i].value: i for i in layers}
                part = self.bdd.false
                for v in listed:
                    part |= self.eq(flags[v], 1)
            else:
                part = self.eq(layers[0], 1)
            result = part if result is None else result & part
        return self.bdd.true if result is None else result

    def rule(self, rule: RuleSpec) -> Function:
        if rule.kind == "allowed":
            return self.table(rule)
        if rule.kind == "forbidden":
            return ~self.table(rule)
        if_ = self.condition(dict(rule.if_))
        then = self.condition(dict(rule.then))
        if rule.kind == "requires":
            return ~if_ | then
        return ~(if_ & then)


def _structure(builder: _Builder) -> Function:
    f = builder.bdd.true
    for i in range(len(builder.layers)):
        f &= builder.domain(i)
    for group in builder.spec.groups:
        f &= builder.group_structure(group)
    return f


def _contradiction(builder: _Builder, parts: list[tuple[RuleSpec, Function]]) -> EngineError:
    """An error naming a minimal set of rules that together leave no valid configuration."""
    base = _structure(builder)
    if base == builder.bdd.false:
        return EngineError(
            [Issue("engine.E041", "$.groups", "The groups' own limits leave no configuration.")]
        )
    needed: list[tuple[RuleSpec, Function]] = []
    # Deletion filter: drop every rule whose removal keeps the conjunction empty.
    candidates = list(parts)
    while candidates:
        rule, function = candidates.pop()
        rest = base
        for _, other in needed + candidates:
            rest &= other
        if rest != builder.bdd.false:
            needed.append((rule, function))
    labels = ", ".join(sorted(rule.label for rule, _ in needed))
    return EngineError(
        [
            Issue(
                "engine.E040",
                "$.rules",
                f"The rules leave no valid configuration; these contradict each other: {labels}.",
            )
        ]
    )


def _conjoin(builder: _Builder, watch: bool = False) -> Function:
    bdd = builder.bdd
    f = _structure(builder)
    parts: list[tuple[RuleSpec, Function]] = []
    for rule in builder.spec.rules:
        parts.append((rule, builder.rule(rule)))
    # Document order: merchants (and ERPs) list related rules together, which keeps the
    # intermediate diagrams small; sorting by size was measured slower on the Renault models.
    for _, part in parts:
        f &= part
        # len(f) is f's node count, O(f); len(bdd) would scan CUDD's whole unique table at
        # every rule (5.7 ms a rule on pc-richmond: 3.9 s of a compile from a hint).
        if watch and len(f) > _HINT_LIMIT:
            bdd.configure(reordering=True)  # the hint went stale: let sifting take over
            watch = False
        if f == bdd.false:
            raise _contradiction(builder, parts)
    if f == bdd.false:
        raise _contradiction(builder, parts)
    return f


def _quick(spec: OptionSetSpec) -> tuple[_Builder, Function] | None:
    """The conjunction in document order without dynamic reordering, sifted once at the
    end; None when a rule or the conjunction grows past ``_QUICK_LIMIT`` nodes.

    On models whose diagram stays small (all but the big Renault model of the benchmark set)
    this is two to three times faster than sifting during the build, to a diagram smaller
    or within 1%: CUDD's dynamic reordering fires from 4,004 live nodes, and its repeated
    sifting of all the rules kept alive cost more than the whole build. Each rule is
    conjoined as soon as it is built, so only the conjunction is alive when it is sifted.
    On the big model the limit is passed after 16 rules (hundredths of a second), and the
    compile starts over.
    """
    builder = _Builder(spec, cache_slots=_QUICK_CACHE_SLOTS)
    builder.start_order()
    bdd = builder.bdd
    bdd.configure(reordering=False)
    f = _structure(builder)
    part = f
    for rule in spec.rules:
        part = builder.rule(rule)
        if len(part) > _QUICK_LIMIT:  # len(function) is its node count: cheap
            return None
        f &= part
        if f == bdd.false:
            raise _contradiction(builder, [(r, builder.rule(r)) for r in spec.rules])
        if len(f) > _QUICK_LIMIT:
            return None
    part = None  # only the conjunction stays alive for the sifting
    if len(f) > _SIFT_PER_VARIABLE * len(bdd.vars):
        # A probe of a few thousand swaps first: when it gains little, the document order is
        # already near what sifting finds (pc-richmond: 1% for 27 ms, where the full sifting
        # took 0.5 s for 11%); when it gains much (small: 28%), the full sifting pays.
        size = len(f)
        bdd.configure(max_swaps=_PROBE_SWAPS)
        bdd.reorder()
        bdd.configure(max_swaps=_MAX_SWAPS)
        if len(f) < (1 - _PROBE_GAIN) * size:
            bdd.reorder()
    return builder, f


def _block_order(builder: _Builder) -> list[int]:
    """Layers ordered by where CUDD's reordering put their bits; presence layers last."""
    bdd = builder.bdd
    layers = builder.layers

    def position(i: int) -> tuple[int, float]:
        levels = [bdd.level_of_var(name) for name in builder.bits[i]]
        return (1 if layers[i].kind == "presence" else 0, sum(levels) / len(levels))

    return sorted(range(len(layers)), key=position)


def _to_diagram(builder: _Builder, f: Function, order: list[int]) -> Diagram:
    bdd = builder.bdd
    level = 0
    new_levels: dict[str, int] = {}
    for i in order:
        for name in reversed(builder.bits[i]):  # high bit first within the block
            new_levels[name] = level
            level += 1
    bdd.configure(reordering=False)
    bdd.reorder(new_levels)

    true = bdd.true
    srcs: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    dsts: list[np.ndarray] = []
    functions: list[Function] = [f]
    for i in order:
        bit_names = list(reversed(builder.bits[i]))
        bit_levels = [new_levels[name] for name in bit_names]
        nxt: dict[int, int] = {}
        nxt_functions: list[Function] = []
        src: list[int] = []
        val: list[int] = []
        dst: list[int] = []
        size = builder.layers[i].size
        shifts = [int(name.rsplit("b", 1)[1]) for name in bit_names]
        for node, u in enumerate(functions):
            for index in range(size):
                child = u
                for shift, bit_level in zip(shifts, bit_levels, strict=True):
                    if child.var is None or child.level > bit_level:
                        continue  # the function does not test this bit here
                    child = _cofactor(child, (index >> shift) & 1)
                if child == bdd.false:
                    continue
                key = int(child)
                target = nxt.get(key)
                if target is None:
                    target = nxt[key] = len(nxt_functions)
                    nxt_functions.append(child)
                src.append(node)
                val.append(index)
                dst.append(target)
        srcs.append(np.asarray(src, dtype=np.int32))
        vals.append(np.asarray(val, dtype=np.int32))
        dsts.append(np.asarray(dst, dtype=np.int32))
        functions = nxt_functions
    assert len(functions) == 1 and functions[0] == true, "the last layer must lead to true"
    layers = tuple(builder.layers[i] for i in order)
    return Diagram.from_edges(layers, srcs, vals, dsts)


def _cofactor(u: Function, bit: int) -> Function:
    """The cofactor of ``u`` on its top variable; CUDD's children ignore a complemented edge."""
    child = u.high if bit else u.low
    return ~child if u.negated else child


def compile_spec(
    spec: OptionSetSpec, order_hint: Sequence[tuple[str, str | None]] = ()
) -> tuple[Diagram, dict[int, np.ndarray]]:
    """The decision diagram of every valid configuration of ``spec``, and each table rule's
    rows as domain indexes (rule index to array, -1 for ``*``).

    Raises :class:`EngineError` when the rules leave no valid configuration, naming a
    minimal set of rules that contradict each other.
    """
    quick = None if order_hint else _quick(spec)
    if quick is not None:
        builder, f = quick
        return _to_diagram(builder, f, _block_order(builder)), builder.tables
    builder = _Builder(spec)
    hinted = builder.start_order(order_hint)
    # Sifting finds orders an order of magnitude smaller than any static heuristic we tried
    # on the Renault models, and costs most of the compile time. With an earlier compile's
    # order it is held back unless the diagram grows past what that order promised.
    builder.bdd.configure(reordering=not hinted)
    f = _conjoin(builder, watch=hinted)
    return _to_diagram(builder, f, _block_order(builder)), builder.tables
