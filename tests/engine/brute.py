"""Brute-force enumeration of option sets: the independent oracle of the engine tests.

It reads the option-set/1 document directly (not the engine's spec) and evaluates every rule
by its definition in docs/option-set-format.md, so the engine and the oracle share no
code.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

TEXT = "Xin chào"
IMAGE = {"bytes": 1000, "width": 2000, "height": 2000, "format": "png"}


def _active(group: dict[str, Any]) -> list[str]:
    return [
        v["code"]
        for v in group.get("values", [])
        if (v.get("extensions") or {}).get("active", True) is not False
    ]


def number_values(group: dict[str, Any]) -> list[str]:
    """A number group's values as canonical text ("120", "0.5"), smallest first."""
    value, high, step = (Decimal(group[k]) for k in ("minimum", "maximum", "increment"))
    found = []
    while value <= high:
        text = f"{value:f}"
        found.append(text.rstrip("0").rstrip(".") if "." in text else text)
        value += step
    return found


def _number_matches(value: str, item: str) -> bool:
    """Whether the number ``value`` is named by a condition's ``item`` (docs' definition)."""
    number = Decimal(value)
    for operator in ("<=", ">=", "<", ">"):
        if item.startswith(operator):
            bound = Decimal(item[len(operator) :])
            return {
                "<=": number <= bound,
                ">=": number >= bound,
                "<": number < bound,
                ">": number > bound,
            }[operator]
    if ".." in item:
        low, high = item.split("..")
        return Decimal(low) <= number <= Decimal(high)
    return number == Decimal(item)


def group_states(group: dict[str, Any]) -> list[Any]:
    required = group.get("required", True)
    kind = group["kind"]
    if kind == "number":
        return number_values(group) + ([] if required else [None])
    if kind == "choice":
        return _active(group) + ([] if required else [None])
    if kind == "multi":
        codes = _active(group)
        low = max(group.get("min", 0), 1 if required else 0)
        high = group.get("max", len(codes))
        return [
            list(c)
            for n in range(low, min(high, len(codes)) + 1)
            for c in itertools.combinations(codes, n)
        ]
    present = TEXT if kind == "text" else IMAGE
    return [present] if required else [present, "" if kind == "text" else None]


def _present(value: Any) -> bool:
    return value not in (None, "")


def _holds(condition: dict[str, list[str]], config: dict[str, Any], kinds: dict) -> bool:
    for code, listed in condition.items():
        value = config.get(code)
        kind = kinds[code]
        if kind == "choice":
            ok = value in listed
        elif kind == "number":
            ok = value is not None and any(_number_matches(value, item) for item in listed)
        elif kind == "multi":
            ok = bool(set(value or []) & set(listed))
        else:
            ok = _present(value)
        if not ok:
            return False
    return True


def rule_holds(rule: dict[str, Any], config: dict[str, Any], kinds: dict) -> bool:
    if rule["kind"] in ("allowed", "forbidden"):
        values = [config.get(code) for code in rule["groups"]]
        matched = any(
            all(cell == "*" or cell == v for cell, v in zip(row, values, strict=True))
            for row in rule["rows"]
        )
        return matched if rule["kind"] == "allowed" else not matched
    if_ = _holds(rule["if"], config, kinds)
    then = _holds(rule["then"], config, kinds)
    if rule["kind"] == "requires":
        return not if_ or then
    return not (if_ and then)


def configurations(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every valid complete configuration of ``document``."""
    groups = document["groups"]
    kinds = {g["code"]: g["kind"] for g in groups}
    rules = document.get("rules", [])
    for combo in itertools.product(*(group_states(g) for g in groups)):
        config = {g["code"]: state for g, state in zip(groups, combo, strict=True)}
        if all(rule_holds(rule, config, kinds) for rule in rules):
            yield config


def projection(config: dict[str, Any], document: dict[str, Any]) -> tuple:
    """The configuration over choice and multi groups (what the engine counts)."""
    return tuple(
        (g["code"], tuple(sorted(config[g["code"]])) if g["kind"] == "multi" else config[g["code"]])
        for g in document["groups"]
        if g["kind"] in ("choice", "multi", "number")
    )


def agrees(config: dict[str, Any], selection: dict[str, Any], skip: str, document) -> bool:
    kinds = {g["code"]: g["kind"] for g in document["groups"]}
    required = {g["code"]: g.get("required", True) for g in document["groups"]}
    for code, chosen in selection.items():
        if code == skip:
            continue
        if kinds[code] in ("choice", "number"):
            if chosen is None and required[code]:
                continue
            if config[code] != chosen:
                return False
        elif kinds[code] == "multi":
            if set(config[code]) != set(chosen or []):
                return False
        elif _present(config[code]) != _present(chosen):
            return False
    return True


def valid_values(document: dict[str, Any], selection: dict[str, Any]) -> dict[str, frozenset]:
    """What the engine's valid_values must answer, by enumeration."""
    result: dict[str, set] = {g["code"]: set() for g in document["groups"]}
    all_configs = list(configurations(document))
    for group in document["groups"]:
        code = group["code"]
        base = dict(selection)
        if group["kind"] == "multi":
            # A multi value is valid when it can join the group's other chosen values.
            chosen = set(selection.get(code) or []) if code in selection else None
            for config in all_configs:
                if not agrees(config, base, code, document):
                    continue
                for value in config[code]:
                    if chosen is None or set(config[code]) == chosen | {value}:
                        result[code].add(value)
            continue
        for config in all_configs:
            if agrees(config, base, code, document):
                value = config[code]
                if group["kind"] in ("text", "image"):
                    value = "present" if _present(value) else None
                result[code].add(value)
    return {code: frozenset(values) for code, values in result.items()}
