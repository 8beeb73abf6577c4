"""The compiled option set and every question the studio, personalization and orders ask it.

A selection maps group codes to what the shopper chose:

- ``choice``: a value code, or ``None`` for an optional group explicitly left empty (for a
  required group ``None`` means "not chosen yet", the same as leaving the group out);
- ``multi``: a list of value codes, the group's whole selection;
- ``text``: a string (``""`` means left empty);
- ``image``: an :class:`~configurator.engine.results.ImageInfo` (or a mapping with the same
  keys), ``None`` for left empty.

A group not in the selection is not chosen yet. Every answer is exact: it comes from the
decision diagram of all valid configurations, never from a heuristic.

:class:`Engine` is the one face of the package; the work lives by seam in
:mod:`.selection`, :mod:`.explanation` and :mod:`.rules`, :mod:`.validation` and
:mod:`.group_checks`, :mod:`.completion`, :mod:`.pricing`, :mod:`.display` and
:mod:`.storage`.
"""

from __future__ import annotations

import copy
import json
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

import numpy as np

from .compiler import compile_spec
from .completion import completion_of
from .diagram import Diagram, Mask
from .display import display_values
from .explanation import explanation_of, target_of
from .group_checks import group_violations, unprintable_characters
from .margins import lowest_margin
from .pricing import MINOR_UNITS, chargeable_characters, cost_of, price_of
from .results import Answers, Display, Explanation, Margin, Price, Violation
from .selection import (
    Selection,
    SelectionError,
    Unit,
    Weights,
    allowed,
    by_group,
    dead_values,
    pinned,
    read_plan,
    units_of,
)
from .spec import GroupSpec, OptionSetSpec, option_set_spec
from .storage import engine_from_bytes, engine_to_bytes
from .switched_off import OffValues, known_off, off_by_group, off_masks, without_off
from .validation import violations_of

# Names this module has always offered, now defined by seam.
__all__ = [
    "EXPLANATIONS_KEPT",
    "MINOR_UNITS",
    "Engine",
    "Selection",
    "SelectionError",
    "Weights",
    "chargeable_characters",
    "compile_option_set",
    "display_values",
    "unprintable_characters",
]

EXPLANATIONS_KEPT = 4096  # per engine
SWITCHED_OFF_KEPT = 64  # per engine: the stock states recently asked about


def compile_option_set(
    document: Mapping[str, Any], *, order_hint: Sequence[Sequence[Any]] = ()
) -> Engine:
    """Compile an option-set/1 document; raises :class:`~.spec.EngineError` if it cannot be.

    ``order_hint``: :attr:`Engine.layer_order` of an earlier compile of the same product,
    which makes compiling a big model several times faster (see ``docs/engine.md``).
    """
    spec = option_set_spec(document)
    hint = [(str(group), None if value is None else str(value)) for group, value in order_hint]
    diagram, tables = compile_spec(spec, hint)
    return Engine(document=document, spec=spec, diagram=diagram, tables=tables)


class Engine:
    """A compiled option set. Immutable and thread-safe: share one per process."""

    def __init__(
        self,
        *,
        document: Mapping[str, Any],
        spec: OptionSetSpec,
        diagram: Diagram,
        tables: Mapping[int, np.ndarray],
    ):
        # The full document is kept compressed (tables of 200,000 rows as Python lists would
        # cost tens of MB per process); what the studio shows lives in ``presentation``.
        self._document_zip = zlib.compress(
            json.dumps(document, ensure_ascii=False, sort_keys=True).encode(), 6
        )
        self.presentation: dict[str, Any] = {
            key: value for key, value in document.items() if key != "rules"
        }
        # Table rows are kept once, as the domain-index arrays in ``tables``.
        spec = replace(
            spec,
            rules=tuple(replace(rule, rows=()) if rule.groups else rule for rule in spec.rules),
        )
        self.spec = spec
        self.diagram = diagram
        self.groups: dict[str, GroupSpec] = {group.code: group for group in spec.groups}
        # Each group's layers in the diagram (a multi group has one per value).
        self.layers_of = diagram.index_of_group
        self.tables = dict(tables)
        # Explanations depend only on the choices as the diagram sees them (text and pictures
        # as present or absent, in the order chosen): recent ones are kept, so typing a
        # monogram does not explain the same disabled values again at every keystroke.
        self._explained: OrderedDict[Any, Explanation | None] = OrderedDict()
        self._explained_lock = threading.Lock()
        # Units of choice values and of text/picture presence, made once (selection.units_of).
        self.units_known: dict[tuple[str, Any], Unit | None] = {}
        self._last_units: tuple[Any, Any] = (None, None)
        self.read_plan = read_plan(spec, diagram)
        # Values switched off at run time (see switched_off): none on a compiled engine.
        self.off: OffValues = frozenset()
        self.off_by_group: dict[str, frozenset[str]] = {}
        self.base_masks: list[Mask | None] | None = None
        self._off_explained: dict[tuple[str, str], Explanation] = {}
        self.combined_masks: dict[int, tuple[Unit, list[tuple[int, Mask]]]] = {}
        self.switched_on: Engine = self  # the engine with nothing switched off
        self._views: OrderedDict[OffValues, Engine] = OrderedDict()
        self._views_lock = threading.Lock()
        self._asked: dict[frozenset[tuple[str, str]], Engine] = {}  # as asked -> view
        self.configurations: int = diagram.count()
        self.dead_values: tuple[tuple[str, str], ...] = dead_values(self)
        # Load every compiled kernel now, not on a shopper's first explanation.
        nothing: list[Mask | None] = [None] * len(diagram.layers)
        diagram.consistent(nothing)
        diagram.best_path(nothing, [None] * len(diagram.layers))

    # Storage: the document plus the diagram, so a web process never compiles.

    @property
    def document(self) -> dict[str, Any]:
        """The option-set/1 document compiled (decompressed on each use: storage only)."""
        return json.loads(zlib.decompress(self._document_zip).decode())

    def to_bytes(self) -> bytes:
        return engine_to_bytes(zlib.decompress(self._document_zip), self.tables, self.diagram)

    @classmethod
    def from_bytes(cls, data: bytes) -> Engine:
        document, spec, diagram, tables = engine_from_bytes(data)
        return cls(document=document, spec=spec, diagram=diagram, tables=tables)

    @property
    def layer_order(self) -> list[tuple[str, str | None]]:
        """The diagram's layer order, as ``(group, multi value or None)``: a compile hint."""
        return [(layer.group, layer.value) for layer in self.diagram.layers]

    # Values switched off at run time.

    def switched_off(self, off: Iterable[tuple[str, str]]) -> Engine:
        """This engine with the ``(group, value)`` pairs of ``off`` switched off (out of
        stock), without compiling again: every question answers as if the values had been
        switched off in the document (``extensions.active: false``), except that a selection
        holding one is refused with ``engine.V050`` rather than ``engine.V002``. Pairs that
        name no value of a choice or multi group are ignored. The same set gives the same
        engine (its explanations are kept) while it is among the last few asked for.
        """
        base = self.switched_on
        if isinstance(off, frozenset):  # the same stock as a moment ago: no lock, no loop
            asked = base._asked.get(off)
            if asked is not None:
                return asked
        found = known_off(base, off)
        if not found:
            return base
        with base._views_lock:
            view = base._views.get(found)
            if view is not None:
                base._views.move_to_end(found)
                return view
        view = copy.copy(base)
        view.off = found
        view.off_by_group = off_by_group(found)
        view.base_masks = off_masks(base, found)
        view.combined_masks = {}
        # Nothing the shopper changes brings a switched-off value back: no conflict, no
        # repair; one answer per value, made once (the studio asks at every evaluation).
        view._off_explained = {
            (group, value): Explanation(group, value, (), (), None, switched_off=True)
            for group, value in found
        }
        view._explained = OrderedDict()
        view._explained_lock = threading.Lock()
        view._last_units = (None, None)
        with base._views_lock:
            view = base._views.setdefault(found, view)
            while len(base._views) > SWITCHED_OFF_KEPT:
                base._views.popitem(last=False)
            if isinstance(off, frozenset):
                if len(base._asked) >= SWITCHED_OFF_KEPT:
                    base._asked = {}
                base._asked[off] = view
        return view

    @property
    def nbytes(self) -> int:
        """Memory held by the diagram's arrays."""
        d = self.diagram
        arrays = [*d.src, *d.val, *d.dst, *d.starts, *self.tables.values()]
        arrays += [d.flat_src, d.flat_val, d.flat_dst]
        return sum(a.nbytes for a in arrays)

    # 1. Valid values.

    def units(self, selection: Selection) -> list[Unit]:
        """The selection's choices as the diagram's restrictions: pass them to the questions
        below (``units=``) to ask several about one selection without reading it again."""
        return units_of(self, selection)

    def valid_values(
        self, selection: Selection, *, units: Sequence[Unit] | None = None
    ) -> dict[str, frozenset[str | None]]:
        """For every group, the values that extend to a valid configuration.

        A value of group ``g`` is valid when the selection, with ``g``'s choice replaced by
        that value and every other group's choice kept, extends to at least one valid
        complete configuration. So a group not chosen yet lists what can still be chosen, and
        a chosen group lists what it can switch to. ``None`` stands for leaving an optional
        group empty; text and image groups answer with ``"present"`` and/or ``None``. For a
        ``multi`` group, a value is valid when it can be in the selection together with the
        group's other chosen values.
        """
        if units is None:
            units = units_of(self, selection)
        valid = by_group(self.read_plan, self.diagram.sweep(allowed(self, units)))
        return without_off(valid, self.off_by_group) if self.off else valid

    def answers(self, selection: Selection, *, units: Sequence[Unit] | None = None) -> Answers:
        """:meth:`valid_values`, :meth:`validate` and :meth:`price` of ``selection`` at once.

        One sweep of the diagram gives the valid values and whether the selection holds; a
        selection that holds with every layer fixed keeps every rule, so only each group's
        own checks run (a property test compares with the questions asked one by one).
        """
        if units is None:
            units = units_of(self, selection)
        sweep = self.diagram.sweep(allowed(self, units))
        rules_kept = sweep.consistent and pinned(self, units)
        valid = by_group(self.read_plan, sweep)
        return Answers(
            consistent=sweep.consistent,
            valid=without_off(valid, self.off_by_group) if self.off else valid,
            violations=violations_of(
                self, selection, rules_kept=rules_kept, consistent=sweep.consistent
            ),
            price=price_of(self.spec, selection),
        )

    def is_consistent(self, selection: Selection, *, units: Sequence[Unit] | None = None) -> bool:
        """Whether the selection extends to at least one valid configuration."""
        if units is None:
            units = units_of(self, selection)
        return self.diagram.consistent(allowed(self, units))

    # 2. Explanation.

    def explain(
        self,
        selection: Selection,
        group: str,
        value: str | None,
        *,
        units: Sequence[Unit] | None = None,
    ) -> Explanation | None:
        """Why ``value`` of ``group`` is unavailable, or None when it can be chosen.

        The conflict is a smallest set of the shopper's choices that, with the value, leaves
        no valid configuration (found by implicit hitting sets over minimal correction sets,
        each one a max-weight path in the diagram). The repair changes as few choices as
        possible and, among repairs of equal size, the older ones (the selection's order is
        the order of choosing).
        """
        if group not in self.groups:
            raise SelectionError([Violation("engine.V001", f"Unknown group “{group}”.", (group,))])
        spec = self.groups[group]
        if self.off and value is not None:
            switched_off = self._off_explained.get((group, value))
            if switched_off is not None:
                return switched_off
        chosen = list(units) if units is not None else units_of(self, selection)
        last = self._last_units  # one evaluation asks about several values of one selection
        if units is not None and last[0] is units:
            picks = last[1]
        else:
            picks = tuple((u.group, u.picks) for u in chosen)
            if units is not None:
                self._last_units = (units, picks)
        key = (group, value, picks)
        with self._explained_lock:
            if key in self._explained:  # only values that made a target are kept
                self._explained.move_to_end(key)
                return self._explained[key]
        target = target_of(self, spec, selection, value)
        explanation = self._explain(spec, target, chosen, value)
        with self._explained_lock:
            self._explained[key] = explanation
            while len(self._explained) > EXPLANATIONS_KEPT:
                self._explained.popitem(last=False)
        return explanation

    def _explain(
        self, spec: GroupSpec, target: Unit, chosen: list[Unit], value: str | None
    ) -> Explanation | None:
        # The search behind :meth:`explain`, past its cache (a test counts the calls here).
        return explanation_of(self, spec, target, chosen, value)

    # 3. Validation.

    def group_violations(self, group: str, chosen: Any) -> tuple[Violation, ...]:
        """What is wrong with ``chosen`` as ``group``'s choice, rules and other groups aside
        (for a text: its length, pattern and characters)."""
        return tuple(group_violations([self.groups[group]], {group: chosen}))

    def validate(
        self, selection: Selection, *, units: Sequence[Unit] | None = None
    ) -> tuple[Violation, ...]:
        """Every violation of a complete configuration, each with a stable code.

        With ``units`` (the selection's, see :meth:`units`), a selection that fixes every
        layer and that the diagram holds is known to keep every rule: the rules are not
        checked one by one again (the diagram is exact; a property test compares).
        """
        if (
            units is not None
            and pinned(self, units)
            and self.diagram.consistent(allowed(self, units))
        ):
            return violations_of(self, selection, rules_kept=True, consistent=True)
        return violations_of(self, selection)

    # 4. Completion.

    def complete(self, selection: Selection, weights: Weights | None = None) -> dict[str, Any]:
        """A valid configuration keeping every choice and maximising the summed weights.

        ``weights`` maps ``(group, value)`` to a preference (use values of 0.001 or more;
        ``(group, None)`` weighs leaving an optional group empty). Ties go, in order, to the
        merchant's default values, to leaving optional groups empty and multi values off, and
        then to the earlier value in the merchant's order. Raises :class:`SelectionError`
        (code ``engine.V040``) when the choices admit no valid configuration.
        """
        return completion_of(self, selection, weights)

    # 5. Price.

    def price(self, selection: Selection) -> Price:
        """Base price, each chosen value's delta and text per character, line by line."""
        return price_of(self.spec, selection)

    def cost(self, selection: Selection) -> Price:
        """What making the selection costs the merchant, line by line as :meth:`price`."""
        return cost_of(self.spec, selection)

    def lowest_margin(self, *, keep: Decimal = Decimal(0)) -> Margin | None:
        """The valid configuration furthest below a margin of ``keep`` percent of its price
        (``keep`` 0: the lowest margin), found exactly by one max-weight pass; see
        :mod:`.margins`. None when nothing is valid."""
        return lowest_margin(self, keep=keep)

    # 6. Display limits.

    def display(
        self,
        group: str,
        valid: Iterable[str | None],
        *,
        ranking: Sequence[str] = (),
        limit: int | None = None,
        keep: Iterable[str | None] = (),
    ) -> Display:
        """The values of ``group`` to show first, and how many more there are.

        Valid values are ordered by ``ranking`` (curated or personal order, best first), then
        by the merchant's order; values in ``keep`` (the current choice) are always shown.
        ``limit`` defaults to the group's display limit, then the product's.
        """
        spec = self.groups[group]
        if limit is None:
            limit = spec.max_visible_values or self.spec.max_visible_values
        offered = set(valid)
        codes = [v.code for v in spec.values if v.code in offered]
        return display_values(codes, ranking, limit, keep)
