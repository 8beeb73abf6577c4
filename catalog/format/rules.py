"""Reading the rules of a document: allowed/forbidden tables and requires/excludes conditions."""

from __future__ import annotations

from typing import Any

from ..models import GroupKind, RuleKind
from ..numbers import NumberError, condition_values, grid_of
from .codes import ANY, PRESENT
from .data import GroupData, RuleData
from .shapes import ShapeReader, key_path, show


class RuleReader(ShapeReader):
    def rules(self, raw: Any, groups: dict[str, GroupData]) -> tuple[RuleData, ...]:
        rules: list[RuleData] = []
        ids: set[str] = set()
        for i, raw_rule in enumerate(self.lst(raw, "$.rules", "Rules")):
            rule = self.rule(raw_rule, f"$.rules[{i}]", groups)
            if rule is None:
                continue
            if rule.id:
                if rule.id in ids:
                    self.add("format.E055", f"$.rules[{i}].id", f"Duplicate rule id “{rule.id}”.")
                ids.add(rule.id)
            rules.append(rule)
        return tuple(rules)

    def rule(self, raw: Any, path: str, groups: dict[str, GroupData]) -> RuleData | None:
        if (raw := self.obj(raw, path, "A rule")) is None:
            return None
        kind = raw.get("kind")
        table = kind in (RuleKind.ALLOWED, RuleKind.FORBIDDEN)
        if table or kind in (RuleKind.REQUIRES, RuleKind.EXCLUDES):
            shape = ("groups", "rows") if table else ("if", "then")
            self.keys(raw, path, required=("kind", *shape), optional=("id", "message"))
        else:
            self.keys(
                raw,
                path,
                required=("kind",),
                optional=("id", "message", "groups", "rows", "if", "then"),
            )
        rule_id = self.text(raw.get("id"), f"{path}.id", max_length=100)
        message = self.names(raw.get("message"), f"{path}.message", required=False, max_length=300)
        extensions = self.extensions(raw, path)
        if table:
            codes = self.table_groups(raw.get("groups", []), f"{path}.groups", groups)
            rows = self.rows(raw.get("rows", []), f"{path}.rows", codes, groups)
            return RuleData(
                kind=str(kind),
                id=rule_id,
                message=message,
                groups=codes,
                rows=rows,
                extensions=extensions,
            )
        if kind in (RuleKind.REQUIRES, RuleKind.EXCLUDES):
            return RuleData(
                kind=str(kind),
                id=rule_id,
                message=message,
                if_=self.condition(raw.get("if"), f"{path}.if", groups),
                then=self.condition(raw.get("then"), f"{path}.then", groups),
                extensions=extensions,
            )
        if kind is not None:
            self.add(
                "format.E040",
                f"{path}.kind",
                f"Unknown kind {show(kind)}; use allowed, forbidden, requires or excludes.",
            )
        return None

    def table_groups(self, raw: Any, path: str, groups: dict[str, GroupData]) -> tuple[str, ...]:
        codes: list[str] = []
        items = self.lst(raw, path, "Table groups")
        if isinstance(raw, list) and not raw:
            self.add("format.E041", path, "A table names at least one group.")
        for j, code in enumerate(items):
            sub = f"{path}[{j}]"
            group = groups.get(code) if isinstance(code, str) else None
            if not isinstance(code, str):
                self.add("format.E005", sub, "Must be a group code.")
            elif code in codes:
                self.add("format.E041", sub, f"“{code}” is named twice.")
            elif group is None:
                self.add("format.E042", sub, f"Unknown group “{code}”.")
            elif group.kind != GroupKind.CHOICE:
                self.add(
                    "format.E043", sub, f"Tables take choice groups; “{code}” is a {group.kind}."
                )
            codes.append(code if isinstance(code, str) else "")
        return tuple(codes)

    def rows(
        self, raw: Any, path: str, codes: tuple[str, ...], groups: dict[str, GroupData]
    ) -> list[list[str | None]]:
        rows = self.lst(raw, path, "Rows")
        # Per column, every cell the column accepts; unknown groups accept anything so that a
        # wrong group is reported once, not once per row.
        columns: list[frozenset[Any] | None] = []
        for code in codes:
            group = groups.get(code)
            if group is None or group.kind != GroupKind.CHOICE:
                columns.append(None)
                continue
            accepted: set[Any] = {ANY, *(value.code for value in group.values)}
            if not group.required:
                accepted.add(None)
            columns.append(frozenset(accepted))
        arity = len(codes)
        for r, row in enumerate(rows):
            if type(row) is not list or len(row) != arity:
                cells = len(row) if isinstance(row, list) else "not a list of"
                self.add(
                    "format.E044", f"{path}[{r}]", f"The row has {cells} cells, expected {arity}."
                )
                continue
            try:
                if all(c is None or cell in c for c, cell in zip(columns, row, strict=True)):
                    continue
            except TypeError:  # an unhashable cell: diagnose below
                pass
            self.row_cells(row, f"{path}[{r}]", codes, columns, groups)
        return rows

    def row_cells(
        self,
        row: list[Any],
        path: str,
        codes: tuple[str, ...],
        columns: list[frozenset[Any] | None],
        groups: dict[str, GroupData],
    ) -> None:
        for c, (code, accepted, cell) in enumerate(zip(codes, columns, row, strict=True)):
            sub = f"{path}[{c}]"
            if cell is not None and not isinstance(cell, str):
                self.add("format.E047", sub, f"A cell is a value code, “*” or null, not {cell!r}.")
            elif accepted is None or cell in accepted:
                continue
            elif cell is None:
                self.add("format.E046", sub, f"“{code}” is required: a row cannot leave it empty.")
            else:
                self.add("format.E045", sub, f"Unknown value “{cell}” of group “{code}”.")

    def condition(self, raw: Any, path: str, groups: dict[str, GroupData]) -> dict[str, list[str]]:
        if raw is None:
            return {}
        if not isinstance(raw, dict) or not raw:
            self.add("format.E050", path, "A condition is an object naming at least one group.")
            return {}
        condition: dict[str, list[str]] = {}
        for code, listed in raw.items():
            sub = key_path(path, code)
            group = groups.get(code)
            if group is None:
                self.add("format.E042", sub, f"Unknown group “{code}”.")
            if (
                not isinstance(listed, list)
                or not listed
                or not all(isinstance(v, str) for v in listed)
            ):
                self.add("format.E052", sub, "Must be a non-empty list of value codes.")
                continue
            condition[code] = listed
            if group is None:
                continue
            if group.kind in (GroupKind.TEXT, GroupKind.IMAGE):
                if listed != [PRESENT]:
                    self.add(
                        "format.E054",
                        sub,
                        f'A {group.kind} group is named with ["present"], not {show(listed)}.',
                    )
                continue
            if group.kind == GroupKind.NUMBER:
                self.number_condition(group, listed, sub)
                continue
            known = {value.code for value in group.values}
            for k, code_ in enumerate(listed):
                if code_ not in known:
                    self.add(
                        "format.E045", f"{sub}[{k}]", f"Unknown value “{code_}” of group “{code}”."
                    )
        return condition

    def number_condition(self, group: GroupData, listed: list[str], path: str) -> None:
        """Report the items of a number group's condition that name none of its values."""
        if group.number_min is None or group.number_max is None or not group.number_increment:
            return  # the group's own problems are reported with the group
        try:
            grid = grid_of(group.number_min, group.number_max, group.number_increment)
        except NumberError:
            return
        for k, item in enumerate(listed):
            try:
                condition_values(grid, item)
            except NumberError as exc:
                self.add(
                    "format.E056",
                    f"{path}[{k}]",
                    f"{str(exc).capitalize()}: use a number of “{group.code}”, "
                    "“>200”, “<=200” or “100..200”.",
                )
