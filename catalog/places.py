"""Where a problem of an option set is, in the merchant's words.

A problem's path (``$.rules[2].rows[0][1]``) is exact but says nothing to a shop owner; the
place names what the path points at by the names the merchant gave: a rule by the values it
touches ("Quy tắc: Da lộn × Trắng"), a value by its group and name ("Giá trị: Màu › Trắng").
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import get_language, gettext

ANY, PRESENT = "*", "present"
RULE_ROWS_SHOWN = 3  # a rule over more rows is named by its first rows and how many more

_PATH = re.compile(
    r"^\$\.(?:(?P<rule>rules\[(?P<r>\d+)\](?:\.rows\[(?P<row>\d+)\])?)"
    r"|(?P<group>groups\[(?P<g>\d+)\](?:\.values\[(?P<v>\d+)\])?)"
    r"|(?P<product>product)|(?P<layers>extensions\.preview_layers))"
)


def _name(names: Any, fallback: str) -> str:
    """A name object in the active language, else Vietnamese, else any, else ``fallback``."""
    if isinstance(names, str):
        return names or fallback
    if not isinstance(names, dict):
        return fallback
    language = (get_language() or "vi")[:2]
    for key in (language, "vi", *names):
        text = names.get(key)
        if isinstance(text, str) and text.strip():
            return text
    return fallback


class _Names:
    """The names of a document's groups and values, by code."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.groups: dict[str, str] = {}
        self.values: dict[tuple[str, str], str] = {}
        for group in document.get("groups") or ():
            code = str(group.get("code", ""))
            self.groups[code] = _name(group.get("name"), code)
            for value in group.get("values") or ():
                value_code = str(value.get("code", ""))
                self.values[(code, value_code)] = _name(value.get("name"), value_code)

    def group(self, code: str) -> str:
        return self.groups.get(code, code)

    def cell(self, group: str, cell: Any) -> str:
        if cell == ANY:
            return gettext("any %(group)s") % {"group": self.group(group)}
        if cell is None:
            return gettext("no %(group)s") % {"group": self.group(group)}
        if cell == PRESENT and (group, PRESENT) not in self.values:
            return self.group(group)  # a text or picture group: "it holds one"
        return self.values.get((group, str(cell)), str(cell))


def rule_label(document: dict[str, Any], index: int, row: int | None = None) -> str:
    """The values rule ``index`` touches: its rows ``a × b`` (only ``row`` when given) or
    its condition ``if → then`` (``requires``) / ``if × then`` (``excludes``)."""
    rules = document.get("rules") or []
    if not 0 <= index < len(rules) or not isinstance(rules[index], dict):
        return ""
    rule, names = rules[index], _Names(document)
    if rule.get("kind") in ("allowed", "forbidden"):
        codes = list(rule.get("groups") or [])
        rows = [r for r in rule.get("rows") or [] if isinstance(r, list)]
        if row is not None:
            rows = rows[row : row + 1]
        shown = [
            " × ".join(names.cell(code, c) for code, c in zip(codes, r, strict=False))
            for r in rows[:RULE_ROWS_SHOWN]
        ]
        more = len(rows) - len(shown)
        if more > 0:
            shown.append(gettext("%(n)d more lines") % {"n": more})
        return "; ".join(shown)
    sides = []
    for part in ("if", "then"):
        condition = rule.get(part) if isinstance(rule.get(part), dict) else {}
        sides.append(
            " + ".join(
                " / ".join(names.cell(code, v) for v in listed or [])
                for code, listed in condition.items()
            )
        )
    return f"{sides[0]} {'→' if rule.get('kind') == 'requires' else '×'} {sides[1]}"


def problem_place(document: dict[str, Any], path: str) -> str:
    """What ``path`` points at, in the merchant's words ("" when it names nothing known)."""
    found = _PATH.match(path or "")
    if found is None:
        return ""
    if found["rule"]:
        row = int(found["row"]) if found["row"] is not None else None
        label = rule_label(document, int(found["r"]), row)
        return gettext("Rule: %(values)s") % {"values": label} if label else ""
    if found["product"]:
        return gettext("Product")
    if found["layers"]:
        return gettext("Preview layers")
    groups = document.get("groups") or []
    g = int(found["g"])
    if g >= len(groups):
        return ""
    names = _Names(document)
    group_code = str(groups[g].get("code", ""))
    if found["v"] is None:
        return gettext("Group: %(group)s") % {"group": names.group(group_code)}
    values = groups[g].get("values") or []
    v = int(found["v"])
    if v >= len(values):
        return ""
    return gettext("Value: %(group)s › %(value)s") % {
        "group": names.group(group_code),
        "value": names.cell(group_code, values[v].get("code", "")),
    }
