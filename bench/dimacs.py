"""Feature models in DIMACS CNF (``../shared/data/configuration/feature_models/fmb/``) as
option-set/1 documents, for the compile benchmark.

Each CNF variable becomes a required ``choice`` group with the values ``yes`` and ``no``
(named after the feature in the file's ``c <id> <feature>`` comments); each clause becomes a
``requires`` rule: when every literal but the last is false, the last is true. A unit clause
is a one-row ``allowed`` table; a clause holding a literal and its negation is dropped (it
always holds). Every valid configuration of the document is one model of the CNF, so the
counts equal a model count of the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

YES, NO = "yes", "no"
# The largest file read (the automotive model is 1 MB); a guard, not a tuning knob.
MAX_BYTES = 8 * 1024 * 1024


def dimacs_read(path: Path) -> tuple[dict[int, str], int, list[list[int]]]:
    """The feature names by variable, the variable count and the clauses of a DIMACS file."""
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise ValueError(f"{path}: larger than {MAX_BYTES} bytes.")
    names: dict[int, str] = {}
    count = 0
    clauses: list[list[int]] = []
    current: list[int] = []
    for number, line in enumerate(raw.decode("utf-8", "replace").splitlines(), 1):
        tokens = line.split()
        if not tokens:
            continue
        if tokens[0] == "c":
            if len(tokens) >= 3 and tokens[1].isdigit():
                names[int(tokens[1])] = " ".join(tokens[2:])
            continue
        if tokens[0] == "p":
            if len(tokens) != 4 or tokens[1] != "cnf":
                raise ValueError(f"{path}:{number}: expected 'p cnf VARS CLAUSES'.")
            count = int(tokens[2])
            continue
        for token in tokens:
            literal = int(token)
            if literal == 0:
                clauses.append(current)
                current = []
            elif abs(literal) > count:
                raise ValueError(f"{path}:{number}: variable {abs(literal)} past {count}.")
            else:
                current.append(literal)
    if current:
        clauses.append(current)
    return names, count, clauses


def dimacs_to_option_set(path: Path, *, sku: str) -> dict[str, Any]:
    """The option-set/1 document of the CNF at ``path`` (mapping in the module docstring)."""
    names, count, clauses = dimacs_read(path)
    groups = [
        {
            "code": f"f{v}",
            "name": names.get(v, f"f{v}"),
            "kind": "choice",
            "values": [{"code": YES, "name": YES}, {"code": NO, "name": NO}],
        }
        for v in range(1, count + 1)
    ]
    rules: list[dict[str, Any]] = []
    for number, clause in enumerate(clauses, 1):
        literals = list(dict.fromkeys(clause))
        if any(-literal in literals for literal in literals):
            continue  # a tautology
        if len(literals) == 1:
            (literal,) = literals
            row = [[YES if literal > 0 else NO]]
            rules.append(
                {"kind": "allowed", "id": f"c{number}", "groups": [f"f{abs(literal)}"], "rows": row}
            )
            continue
        *rest, last = literals
        rules.append(
            {
                "kind": "requires",
                "id": f"c{number}",
                "if": {f"f{abs(lit)}": [NO if lit > 0 else YES] for lit in rest},
                "then": {f"f{abs(last)}": [YES if last > 0 else NO]},
            }
        )
    return {
        "format": "option-set/1",
        "product": {"sku": sku, "name": path.stem, "base_price": "0", "currency": "EUR"},
        "groups": groups,
        "rules": rules,
    }
