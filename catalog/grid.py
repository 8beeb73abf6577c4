"""A table rule over two groups as a grid of boxes ("bảng ô chọn").

Rows are the values of the rule's first group, columns those of the second; a ticked box is a
pair of values the rule allows together (``allowed``: only these) or excludes (``forbidden``:
never these). The grid and the rule's rows text are two views of one rule: the form writes the
rows from the grid when the boxes changed and keeps the text otherwise, and
``static/catalog/rule-grid.js`` keeps both in step while the merchant types.

A table the boxes cannot say exactly stays text only: more than :data:`GRID_MAX_VALUES` values
on a side, more or fewer than two groups, an empty cell (``-``) or ``*`` over an optional group
(which also matches a group left empty).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ANY = "*"
GRID_MAX_VALUES = 20  # per side: 400 boxes at most; larger tables are written as text
_MAX_CODE = 64


@dataclass(frozen=True)
class GridAxis:
    """One side of the grid: a "choose one" group and its values (code, name) in order."""

    code: str
    name: str
    required: bool
    values: tuple[tuple[str, str], ...]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(code for code, _name in self.values)


@dataclass(frozen=True)
class GridPost:
    """What a submitted grid says: the groups it was drawn for, the boxes ticked when the
    page was drawn (``was``) and the boxes ticked now (``cells``, each ``"a,b"``)."""

    axes: tuple[str, ...]
    was: frozenset[str]
    cells: frozenset[str]
    too_large: bool = False

    @property
    def edited(self) -> bool:
        return self.cells != self.was


def cell(row: str, column: str) -> str:
    """A box's value: the two value codes, as a line of the rows text has them."""
    return f"{row},{column}"


def grid_cells(lines: Iterable[str], rows: GridAxis, columns: GridAxis) -> frozenset[str] | None:
    """The boxes a table's text lines tick, or None when boxes cannot say what the text says.

    ``*`` stands for every value of a required group; over an optional group it also
    matches the group left empty, and ``-`` is that empty group: neither has a box. A line
    that is not two known values (a mistake the form reports) has no box either.
    """
    ticked: set[str] = set()
    for line in lines:
        parts = [part.strip() for part in line.split(",")]
        if len(parts) != 2:
            return None
        sides = []
        for part, axis in zip(parts, (rows, columns), strict=True):
            if part == ANY and axis.required:
                sides.append([code for code, _name in axis.values])
            elif part in axis.codes:
                sides.append([part])
            else:
                return None
        ticked.update(cell(a, b) for a in sides[0] for b in sides[1])
    return frozenset(ticked)


def grid_lines(cells: Iterable[str], rows: GridAxis, columns: GridAxis) -> list[str]:
    """One rows-text line ``a, b`` per ticked box, row by row in the grid's order; a box that
    names no value of the groups (from a stale page) comes last, for the form to refuse."""
    order = {
        cell(a, b): (i, j)
        for i, (a, _an) in enumerate(rows.values)
        for j, (b, _bn) in enumerate(columns.values)
    }
    last = (len(order), 0)
    ordered = sorted(set(cells), key=lambda c: (order.get(c, last), c))
    return [", ".join(part.strip() for part in c.split(",", 1)) for c in ordered]


@dataclass(frozen=True)
class GridView:
    """What the grid widget draws: the axes and ticks, or why there is no grid."""

    name: str
    kind: str = ""
    message: str = ""
    rows: GridAxis | None = None
    columns: GridAxis | None = None
    ticked: frozenset[str] = frozenset()
    why: str = ""
    readonly: bool = False

    @property
    def axes(self) -> str:
        return f"{self.rows.code},{self.columns.code}" if self.rows and self.columns else ""

    @property
    def was(self) -> str:
        return ";".join(sorted(self.ticked))

    @property
    def legend(self) -> str:
        return str(_legend(self.kind))

    # The words the page's script shows when the merchant changes the rule (same as below).
    legend_allowed = property(lambda self: str(_legend("allowed")))
    legend_forbidden = property(lambda self: str(_legend("forbidden")))
    why_none = property(lambda self: str(WHY["none"]))
    why_count = property(lambda self: str(WHY["count"]))
    why_values = property(lambda self: str(WHY["values"]))
    why_text = property(lambda self: str(WHY["text"]))

    def table(self) -> list[tuple[str, list[tuple[str, bool, str]]]]:
        """Each row's value name and its boxes: (value, ticked, accessible label)."""
        if self.rows is None or self.columns is None:
            return []
        return [
            (
                row_name,
                [
                    (cell(a, b), cell(a, b) in self.ticked, f"{row_name} × {column_name}")
                    for b, column_name in self.columns.values
                ],
            )
            for a, row_name in self.rows.values
        ]


def _legend(kind: str) -> Any:
    if kind == "forbidden":
        return _("A ticked box: these two values are excluded together (never these).")
    return _("A ticked box: these two values are allowed together (only these).")


WHY: dict[str, Any] = {
    "none": _("Name two “choose one” groups above: the grid of their values appears here."),
    "count": _("The grid shows tables over two groups; this one is written as text."),
    # GRID_MAX_VALUES, written out: a lazy text cannot be formatted before it is read.
    "values": _("The grid appears once both groups have values (at most 20 on a side)."),
    "text": _(
        "These rows use “-” or “*” over an optional group, which boxes cannot show: "
        "edit them as text."
    ),
}


def grid_view(
    *,
    name: str,
    kind: str,
    codes: list[str],
    lines: list[str],
    message: str,
    axes: Mapping[str, GridAxis],
    posted: frozenset[str] | None = None,
    readonly: bool = False,
) -> GridView:
    """The grid of a table rule over ``codes``, ticked from its text lines (or, when the text
    cannot be drawn, from the boxes ``posted``); otherwise why the rule stays text."""
    base = GridView(name=name, kind=kind, message=message, readonly=readonly)

    def text_only(why: Any) -> GridView:
        return GridView(name=name, kind=kind, message=message, readonly=readonly, why=str(why))

    if kind not in ("allowed", "forbidden"):
        return base
    if not codes:
        return text_only(WHY["none"])
    if len(codes) != 2:
        return text_only(WHY["count"])
    rows, columns = axes.get(codes[0]), axes.get(codes[1])
    sizes = [len(axis.values) for axis in (rows, columns) if axis is not None]
    if len(sizes) != 2 or not min(sizes) or max(sizes) > GRID_MAX_VALUES:
        return text_only(WHY["values"])
    assert rows is not None and columns is not None
    ticked = grid_cells(lines, rows, columns)
    if ticked is None and posted is not None:
        ticked = posted
    if ticked is None:
        return text_only(WHY["text"])
    return GridView(
        name=name,
        kind=kind,
        message=message,
        rows=rows,
        columns=columns,
        ticked=ticked,
        readonly=readonly,
    )


def grid_render(view: GridView) -> SafeString:
    return mark_safe(render_to_string("catalog/widgets/rule_grid.html", {"grid": view}))


class RuleGridWidget(forms.Widget):
    """The grid as form inputs: one checkbox per pair (``name``), with the groups it was drawn
    for (``name_axes``) and the boxes ticked when it was drawn (``name_was``)."""

    #: Set per form: draws the grid from the form's current state when the page is rendered.
    view: Callable[[str], GridView] | None = None

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        return grid_render(self.view(name) if self.view else GridView(name=name))

    def value_from_datadict(self, data: Any, files: Any, name: str) -> GridPost | None:
        axes = str(data.get(f"{name}_axes") or "")
        if not axes:
            return None
        cells = data.getlist(name) if hasattr(data, "getlist") else list(data.get(name) or [])
        was = str(data.get(f"{name}_was") or "")
        limit = GRID_MAX_VALUES**2
        if len(axes) > 2 * _MAX_CODE + 1 or len(cells) > limit or len(was) > limit * 130:
            return GridPost(axes=(), was=frozenset(), cells=frozenset(), too_large=True)
        return GridPost(
            axes=tuple(code.strip() for code in axes.split(",")),
            was=frozenset(c for c in was.split(";") if c),
            cells=frozenset(str(c)[: 2 * _MAX_CODE + 1] for c in cells),
        )

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False


class RuleGridField(forms.Field):
    widget = RuleGridWidget

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> GridPost | None:
        return value if isinstance(value, GridPost) else None

    def has_changed(self, initial: Any, data: Any) -> bool:
        return isinstance(data, GridPost) and data.edited


def grid_conflict_text(axes: tuple[str, ...]) -> str:
    return gettext(
        "The groups of the table changed while the grid showed “%(axes)s”: save once, then "
        "tick the grid again."
    ) % {"axes": " × ".join(axes)}
