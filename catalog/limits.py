"""Bounds of an option-set import: what a document may weigh before it is read at all.

:func:`read_option_set` turns the bytes of a file into a document without ever meeting a
recursion limit, a 4,300-digit integer or a gigabyte of text: size first, then nesting depth
(a scan of the raw bytes), then the JSON parser, with numbers of bounded length.
:func:`document_limits` then bounds what the validator will walk: groups, values per group,
rules, rows per table, preview layers, every text. Each refusal is a :class:`Problem` with a
stable ``format.E07x`` code (listed in :data:`LIMIT_CODES`, documented in
``docs/option-set-format.md``); nothing is parsed further once a limit is met.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_noop

from .extensions import Problem

LIMIT_CODES: dict[str, str] = {
    "format.E070": gettext_noop("The document is larger than the import limit."),
    "format.E071": gettext_noop("The document is nested too deeply."),
    "format.E072": gettext_noop("A number has too many digits."),
    "format.E073": gettext_noop("Too many groups."),
    "format.E074": gettext_noop("Too many values in a group."),
    "format.E075": gettext_noop("Too many rules."),
    "format.E076": gettext_noop("A table rule has too many rows."),
    "format.E077": gettext_noop("Too many preview layers."),
    "format.E078": gettext_noop("A text or key is longer than the import limit."),
    "format.E079": gettext_noop("Not a JSON document (not UTF-8, or a syntax error)."),
}


@dataclass(frozen=True)
class Limits:
    """How large an option-set document may be. The defaults take the largest published
    vehicle models (hundreds of groups, tables of tens of thousands of rows) with room."""

    max_bytes: int = 100 * 1024 * 1024
    max_depth: int = 32
    max_digits: int = 30
    max_groups: int = 2_000
    max_values: int = 2_000
    max_rules: int = 20_000
    max_rows: int = 500_000
    max_layers: int = 2_000
    max_text: int = 100_000


DEFAULT_LIMITS = Limits()

# A JSON string, then any bracket; a string's brackets are not nesting.
_TOKEN_RE = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
_OPEN = frozenset(b"[{")


class DocumentRefused(Exception):
    """Raised by :func:`read_option_set` with the problem that stopped reading."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(f"{problem.path}: {problem.message} [{problem.code}]")


def read_option_set(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> Any:
    """The JSON document in ``raw``; raises :class:`DocumentRefused` when it is larger,
    deeper or holds longer numbers than ``limits`` allow, or is not JSON."""
    if len(raw) > limits.max_bytes:
        _refuse("format.E070", "$", f"The file has {len(raw)} bytes; at most {limits.max_bytes}.")
    too_deep = _too_deep_at(raw, limits.max_depth)
    if too_deep is not None:
        _refuse(
            "format.E071",
            f"line {too_deep}",
            f"Nested deeper than {limits.max_depth} levels of lists and objects.",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _refuse("format.E079", f"byte {exc.start}", "The file is not UTF-8 text.")
    try:
        return json.loads(
            text,
            parse_int=_bounded_number(int, limits.max_digits),
            parse_float=_bounded_number(float, limits.max_digits),
        )
    except _LongNumber as exc:
        _refuse(
            "format.E072",
            "$",
            f"A number has {exc.digits} characters ({exc.start}…); at most {limits.max_digits}.",
        )
    except json.JSONDecodeError as exc:
        _refuse("format.E079", f"line {exc.lineno}", f"column {exc.colno}: {exc.msg}.")
    except RecursionError:  # unreachable after the depth scan; kept as a coded refusal
        _refuse("format.E071", "$", f"Nested deeper than {limits.max_depth} levels.")


def document_limits(document: Any, limits: Limits = DEFAULT_LIMITS) -> list[Problem]:
    """Every limit ``document`` (already parsed) passes over, before it is validated: the
    counts of its lists, then its depth, numbers and texts, walked without recursion."""
    problems = _walk_problems(document, limits)
    if problems or not isinstance(document, dict):
        return problems
    groups = document.get("groups")
    if isinstance(groups, list):
        _count(problems, groups, "$.groups", limits.max_groups, "format.E073", "groups")
        for i, group in enumerate(groups[: limits.max_groups]):
            values = group.get("values") if isinstance(group, dict) else None
            if isinstance(values, list):
                where = f"$.groups[{i}].values"
                _count(problems, values, where, limits.max_values, "format.E074", "values")
    rules = document.get("rules")
    if isinstance(rules, list):
        _count(problems, rules, "$.rules", limits.max_rules, "format.E075", "rules")
        for i, rule in enumerate(rules[: limits.max_rules]):
            rows = rule.get("rows") if isinstance(rule, dict) else None
            if isinstance(rows, list):
                _count(problems, rows, f"$.rules[{i}].rows", limits.max_rows, "format.E076", "rows")
    extensions = document.get("extensions")
    layers = extensions.get("preview_layers") if isinstance(extensions, dict) else None
    if isinstance(layers, list):
        where = "$.extensions.preview_layers"
        _count(problems, layers, where, limits.max_layers, "format.E077", "layers")
    return problems


def _refuse(code: str, path: str, message: str) -> Any:
    raise DocumentRefused(Problem(code=code, message=message, path=path))


def _too_deep_at(raw: bytes, max_depth: int) -> int | None:
    """The line where ``raw`` first nests deeper than ``max_depth``, or None. Strings are
    skipped whole; an unbalanced or broken document is left to the JSON parser."""
    if raw.count(b"[") + raw.count(b"{") <= max_depth:
        return None
    depth = 0
    for match in _TOKEN_RE.finditer(raw):
        token = match.group()
        if token[0] in _OPEN and len(token) == 1:
            depth += 1
            if depth > max_depth:
                return raw.count(b"\n", 0, match.start()) + 1
        elif len(token) == 1:
            depth -= 1
    return None


class _LongNumber(ValueError):
    def __init__(self, text: str) -> None:
        super().__init__(text[:20])
        self.digits = len(text)
        self.start = text[:12]


def _bounded_number(kind: type, max_digits: int) -> Any:
    def parse(text: str) -> Any:
        if len(text) > max_digits:
            raise _LongNumber(text)
        return kind(text)

    return parse


def _count(problems: list[Problem], items: list[Any], path: str, most: int, code: str, what: str):
    if len(items) > most:
        problems.append(
            Problem(code=code, path=path, message=f"{len(items)} {what}; at most {most}.")
        )


def _walk_problems(document: Any, limits: Limits) -> list[Problem]:
    """Depth, numbers and texts of a parsed document: a dict built in code (the API, a test)
    is not bounded by :func:`read_option_set`. Stops at the first problem of each kind."""
    problems: dict[str, Problem] = {}
    largest = 10**limits.max_digits
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limits.max_depth:
                message = f"Nested deeper than {limits.max_depth} levels of lists and objects."
                problems.setdefault("format.E071", Problem("format.E071", message, "$"))
                continue
            children = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in children:
                if isinstance(key, str) and len(key) > limits.max_text:
                    stack.append((key, depth))
                stack.append((child, depth + 1))
        elif isinstance(item, str) and len(item) > limits.max_text:
            message = f"A text of {len(item)} characters; at most {limits.max_text}."
            problems.setdefault("format.E078", Problem("format.E078", message, "$"))
        elif isinstance(item, int) and not isinstance(item, bool) and abs(item) >= largest:
            message = f"A number of more than {limits.max_digits} digits."
            problems.setdefault("format.E072", Problem("format.E072", message, "$"))
    return list(problems.values())
