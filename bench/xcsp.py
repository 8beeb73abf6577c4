"""Read XCSP 2.1 instances made of extensional constraints, and convert them to option-set/1.

XCSP 2.1 (the format of the CSP solver competitions up to 2009) lists domains (integers and
``a..b`` intervals), variables over those domains, relations (tuples separated by ``|``,
``semantics="supports"`` or ``"conflicts"``) and constraints applying a relation to a scope
of variables. That is all the Renault BR4CP models use; predicates and global constraints
are reported as unsupported.

:func:`xcsp_parse` returns an :class:`XcspModel` or raises :class:`XcspError` listing every
problem, each with a stable code and the element it was found in.

:func:`xcsp_to_option_set` makes each variable a ``choice`` group with its domain as value
codes. A domain holding the joker (``-1`` in the Renault models, "not chosen") makes the
group optional: the joker is dropped from the values and becomes ``null`` in table rows.
Each constraint becomes an ``allowed`` (supports) or ``forbidden`` (conflicts) table rule
named like the constraint; a tuple naming a value outside a domain can never match, so it is
left out, which keeps the meaning exact.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

JOKER = "-1"


@dataclass(frozen=True)
class XcspProblem:
    code: str
    path: str
    message: str


class XcspError(ValueError):
    """The instance cannot be read; ``problems`` lists every reason, in document order."""

    def __init__(self, problems: list[XcspProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.code} {p.path}: {p.message}" for p in problems))


@dataclass(frozen=True)
class XcspConstraint:
    name: str
    scope: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # shared between constraints using the same relation
    supports: bool  # False: the rows are conflicts


@dataclass(frozen=True)
class XcspModel:
    name: str
    variables: tuple[tuple[str, tuple[str, ...]], ...]  # (name, domain values as text)
    constraints: tuple[XcspConstraint, ...]


def xcsp_read(path: str | Path) -> XcspModel:
    """The instance in the file at ``path``."""
    return xcsp_parse(Path(path).read_bytes())


def xcsp_parse(text: str | bytes) -> XcspModel:
    """The instance in the XML ``text``; raises :class:`XcspError` with every problem."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise XcspError([XcspProblem("xcsp.E001", "/", f"Not well-formed XML: {error}.")]) from None
    problems: list[XcspProblem] = []
    domains = _domains(root, problems)
    relations = _relations(root, problems)
    variables = _variables(root, domains, problems)
    constraints = _constraints(root, dict(variables), relations, problems)
    if problems:
        raise XcspError(problems)
    presentation = root.find("presentation")
    name = presentation.get("name", "") if presentation is not None else ""
    return XcspModel(name=name or "model", variables=variables, constraints=constraints)


def _domains(root: ET.Element, problems: list[XcspProblem]) -> dict[str, tuple[str, ...]]:
    domains: dict[str, tuple[str, ...]] = {}
    for domain in root.iter("domain"):
        name = domain.get("name", "")
        path = f"domain[@name={name!r}]"
        values: list[str] = []
        for token in (domain.text or "").split():
            low, dots, high = token.partition("..")
            if dots and _is_int(low) and _is_int(high):
                values.extend(str(v) for v in range(int(low), int(high) + 1))
            elif not dots and _is_int(token):
                values.append(token)  # as written: tuples name values the same way
            else:
                problems.append(XcspProblem("xcsp.E002", path, f"“{token}” is not a value."))
        if len(set(values)) != len(values):
            problems.append(XcspProblem("xcsp.E003", path, "A value is listed twice."))
        domains[name] = tuple(values)
    return domains


def _relations(
    root: ET.Element, problems: list[XcspProblem]
) -> dict[str, tuple[int, bool, tuple[tuple[str, ...], ...]]]:
    relations = {}
    for relation in root.iter("relation"):
        name = relation.get("name", "")
        path = f"relation[@name={name!r}]"
        semantics = relation.get("semantics", "supports")
        if semantics not in ("supports", "conflicts"):
            problems.append(XcspProblem("xcsp.E010", path, f"Semantics “{semantics}”?"))
        arity_text = relation.get("arity", "")
        if not arity_text.isdigit():
            problems.append(XcspProblem("xcsp.E012", path, f"Arity “{arity_text}”?"))
        arity = int(arity_text) if arity_text.isdigit() else 0
        # C-level maps: the big model's relations hold 226,000 tuples.
        rows = tuple(filter(None, map(tuple, map(str.split, (relation.text or "").split("|")))))
        if set(map(len, rows)) - {arity}:
            wrong = [i for i, row in enumerate(rows) if len(row) != arity]
            problems.append(
                XcspProblem(
                    "xcsp.E011",
                    path,
                    f"{len(wrong)} tuple(s) do not have {arity} values (first: tuple {wrong[0]}).",
                )
            )
        relations[name] = (arity, semantics != "conflicts", rows)
    return relations


def _variables(
    root: ET.Element, domains: dict[str, tuple[str, ...]], problems: list[XcspProblem]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    variables: dict[str, tuple[str, ...]] = {}
    for variable in root.iter("variable"):
        name, domain = variable.get("name", ""), variable.get("domain", "")
        path = f"variable[@name={name!r}]"
        if name in variables:
            problems.append(XcspProblem("xcsp.E020", path, "Variable declared twice."))
        if domain not in domains:
            problems.append(XcspProblem("xcsp.E021", path, f"Unknown domain “{domain}”."))
        variables[name] = domains.get(domain, ())
    return tuple(variables.items())


def _constraints(
    root: ET.Element,
    variables: dict[str, tuple[str, ...]],
    relations: dict[str, tuple[int, bool, tuple[tuple[str, ...], ...]]],
    problems: list[XcspProblem],
) -> tuple[XcspConstraint, ...]:
    constraints = []
    for constraint in root.iter("constraint"):
        name = constraint.get("name", "")
        path = f"constraint[@name={name!r}]"
        scope = tuple(constraint.get("scope", "").split())
        for unknown in [v for v in scope if v not in variables]:
            problems.append(XcspProblem("xcsp.E030", path, f"Unknown variable “{unknown}”."))
        reference = constraint.get("reference", "")
        if reference not in relations:
            problems.append(
                XcspProblem(
                    "xcsp.E031",
                    path,
                    f"“{reference}” is not a relation (predicates and global constraints "
                    "are not supported).",
                )
            )
            continue
        arity, supports, rows = relations[reference]
        if arity != len(scope):
            problems.append(
                XcspProblem("xcsp.E032", path, f"Scope of {len(scope)} for a relation of {arity}.")
            )
        constraints.append(XcspConstraint(name, scope, rows, supports))
    return tuple(constraints)


def _is_int(token: str) -> bool:
    return token.lstrip("+-").isdigit()


def xcsp_to_option_set(
    model: XcspModel, *, sku: str, name: str | None = None, joker: str | None = JOKER
) -> dict[str, Any]:
    """The option-set/1 document of ``model`` (see the module's docstring for the mapping)."""
    groups = []
    domains: dict[str, frozenset[str]] = {}
    for variable, domain in model.variables:
        group: dict[str, Any] = {
            "code": variable,
            "name": variable,
            "kind": "choice",
            "values": [{"code": code, "name": code} for code in domain if code != joker],
        }
        if joker in domain:
            group["required"] = False
        groups.append(group)
        domains[variable] = frozenset(domain)
    rules = [
        {
            "kind": "allowed" if constraint.supports else "forbidden",
            "id": constraint.name,
            "groups": list(constraint.scope),
            "rows": _rows(constraint, [domains[v] for v in constraint.scope], joker),
        }
        for constraint in model.constraints
    ]
    return {
        "format": "option-set/1",
        "product": {"sku": sku, "name": name or sku, "base_price": "0", "currency": "EUR"},
        "groups": groups,
        "rules": rules,
    }


def _rows(
    constraint: XcspConstraint, domains: list[frozenset[str]], joker: str | None
) -> list[list[str | None]]:
    """The table's rows as option-set cells; per-column checks first, as rows run to 10^5."""
    rows = constraint.rows
    columns = [set(column) for column in zip(*rows, strict=True)] if rows else []
    if any(not column <= domain for column, domain in zip(columns, domains, strict=True)):
        rows = tuple(row for row in rows if all(c in d for c, d in zip(row, domains, strict=True)))
    if not any(joker in column for column in columns):
        return [list(row) for row in rows]
    return [
        [None if cell == joker else cell for cell in row] if joker in row else list(row)
        for row in rows
    ]
