"""Read XCSP 2.1 instances (the Renault BR4CP models) and convert them to option-set/1.

Each variable becomes a ``choice`` group named like the variable, with its domain codes as
value codes; a domain holding the joker ``-1`` ("not chosen") makes the group optional and
the joker becomes ``null`` in table rows. Each constraint becomes an ``allowed`` table.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "configuration"
RENAULT = DATA / "renault_br4cp"
# Solution counts from DATA/README.md (jokers counted as values).
EXPECTED_COUNTS = {"small": 172056, "medium": 278744, "big": 24566537954855761920000}


def read_xcsp(source: str | Path) -> dict[str, Any]:
    root = ET.parse(source).getroot() if Path(str(source)).exists() else ET.fromstring(source)
    domains = {d.get("name"): (d.text or "").split() for d in root.iter("domain")}
    relations = {
        r.get("name"): [row.split() for row in (r.text or "").split("|") if row.strip()]
        for r in root.iter("relation")
    }
    variables = [(v.get("name"), domains[v.get("domain")]) for v in root.iter("variable")]
    constraints = [
        (c.get("name"), c.get("scope").split(), c.get("reference")) for c in root.iter("constraint")
    ]
    name = root.find("presentation")
    return {
        "name": (name.get("name") if name is not None else "") or "model",
        "variables": variables,
        "constraints": [(n, scope, relations[ref]) for n, scope, ref in constraints],
    }


def to_option_set(model: dict[str, Any], sku: str) -> dict[str, Any]:
    groups = []
    for name, domain in model["variables"]:
        group: dict[str, Any] = {
            "code": name,
            "name": name,
            "kind": "choice",
            "values": [{"code": code, "name": code} for code in domain if code != "-1"],
        }
        if "-1" in domain:
            group["required"] = False
        groups.append(group)
    rules = [
        {
            "kind": "allowed",
            "id": name,
            "groups": scope,
            "rows": [[None if cell == "-1" else cell for cell in row] for row in rows],
        }
        for name, scope, rows in model["constraints"]
    ]
    return {
        "format": "option-set/1",
        "product": {"sku": sku, "name": sku, "base_price": "0", "currency": "EUR"},
        "groups": groups,
        "rules": rules,
    }


def renault(size: str) -> dict[str, Any]:
    """The Renault model ``size`` (small, medium, big) as an option-set/1 document."""
    return to_option_set(read_xcsp(RENAULT / size / "contraintes.xml"), f"RENAULT-{size.upper()}")


def available() -> bool:
    return (RENAULT / "small" / "contraintes.xml").exists()
