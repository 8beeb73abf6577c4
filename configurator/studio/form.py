"""The studio as a plain HTML form: reading what it submits, and what its template draws.

The page works before and without JavaScript: the template renders every group from the
studio state (the same payload the API answers), as radios, checkboxes, text and file
inputs; ``studio.js`` enhances that markup. This module turns a submitted form back into a
raw selection (read afterwards by ``selection_parse``, exactly as the API reads JSON) and
prepares the state for the template: steps, shared reasons, repairs, the summary.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from configurator.configuring.placement import PLACEMENT_KEY, placement_areas
from configurator.engine import Engine

# A form carries at most this many characters in a text field (the engine's own limits,
# usually far lower, are checked by selection_parse); anything longer is refused as is.
TEXT_FIELD_MAX = 1000
NUMBER_FIELD_MAX = 31  # a number field: more than any number a group takes (30 characters)


#: The placement's fields of a group, as the form shows them: name suffix, the API's key,
#: and the factor from the form's number (per cent, degrees) to the API's (fractions).
PLACE_FIELDS = (("x", "x", 100), ("y", "y", 100), ("scale", "scale", 100), ("turn", "rotation", 1))
PLACE_FIELD_MAX = 16


def place_field(code: str, name: str) -> str:
    """The number field ``name`` (x, y, scale, turn) of group ``code``'s placement."""
    return f"{code}--{name}"


def _placement(data: QueryDict, code: str) -> dict[str, Any] | None:
    """The placement a form gives a group (per cent and degrees, a decimal comma allowed),
    in the API's shape; None when its fields are absent or all empty. A field that is not a
    number is passed on as typed, for ``placements_parse`` to refuse beside the group."""
    typed = {key: data.get(place_field(code, name), "").strip() for name, key, _f in PLACE_FIELDS}
    if not any(typed.values()):
        return None
    out: dict[str, Any] = {}
    for _name, key, factor in PLACE_FIELDS:
        text = typed[key][:PLACE_FIELD_MAX]
        if not text:
            continue
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            out[key] = text
            continue
        out[key] = number / factor
    return out


def upload_field(code: str) -> str:
    """The hidden field that keeps an already uploaded picture of image group ``code``."""
    return f"{code}--upload"


def form_selection(*, engine: Engine, data: QueryDict) -> dict[str, Any]:
    """The raw selection a submitted studio form holds, in the groups' order.

    Shapes mirror the API's JSON: a choice is a value code or ``None`` (the "None" radio,
    sent as an empty string), a multi group a list (no box ticked: an empty list), a text a
    string (an empty one: left out), a picture the id of an upload kept in its hidden field.
    Groups the form does not carry are left out; ``selection_parse`` checks the rest. The
    number fields of a placed picture or text become the selection's ``"@placement"``.
    """
    raw: dict[str, Any] = {}
    placements: dict[str, Any] = {}
    placeable = placement_areas(engine)
    for code, group in engine.groups.items():
        if code in placeable:
            placement = _placement(data, code)
            if placement is not None:
                placements[code] = placement
        if group.number is not None:
            if code in data:
                # "0,5" as Vietnamese write it; anything long is refused by selection_parse.
                raw[code] = data.get(code, "").strip()[:NUMBER_FIELD_MAX].replace(",", ".") or None
        elif group.kind == "choice":
            if code in data:
                raw[code] = data.get(code) or None
        elif group.kind == "multi":
            raw[code] = data.getlist(code)
        elif group.kind == "text":
            text = data.get(code, "")
            if text:
                raw[code] = text[: TEXT_FIELD_MAX + 1]
        else:
            upload = data.get(upload_field(code), "")
            if upload:
                raw[code] = upload[:64]
    if placements:
        raw[PLACEMENT_KEY] = placements
    return raw


def _names(changes: Mapping[str, Any], groups: Mapping[str, dict[str, Any]]) -> str:
    """ "Chất liệu: Vải bố, …": a repair's changes by the names the shopper reads."""
    parts = []
    for code, value in changes.items():
        group = groups.get(code)
        chosen = next((v for v in group["values"] if v["code"] == value), None) if group else None
        shown = chosen["name"] if chosen else (_("None") if value is None else str(value))
        if group and group["kind"] == "number" and value is not None:
            shown = _with_unit(str(value), group)
        parts.append(f"{group['name'] if group else code}: {shown}")
    return ", ".join(parts)


def _reason_key(value: dict[str, Any]) -> str:
    reason = value["reason"]
    return json.dumps([reason["messages"], reason["repair"]], sort_keys=True) if reason else ""


def _choice_values(group: dict[str, Any], groups: Mapping[str, dict[str, Any]], open_: bool):
    """The values the form shows for a choice group, each with its reason's id and repair;
    and the reasons several of them share (said once, under the list)."""
    visible = [v for v in group["values"] if v["shown"] or v["chosen"] or open_]
    by_key: dict[str, list[dict[str, Any]]] = {}
    for value in visible:
        if not value["available"] and value["reason"]:
            by_key.setdefault(_reason_key(value), []).append(value)
    shared_ids: dict[str, str] = {}
    shared: list[dict[str, str]] = []
    for key, members in by_key.items():
        if len(members) > 1:
            shared_ids[key] = f"{group['code']}--why-{len(shared) + 1}"
            reason = members[0]["reason"]
            shared.append(
                {
                    "id": shared_ids[key],
                    "names": ", ".join(m["name"] for m in members),
                    "message": " ".join(reason["messages"]) or _("not available with your choices"),
                }
            )
    values = []
    for value in visible:
        item = dict(value)
        item["id"] = f"{group['code']}--{value['code']}"
        delta = Decimal(value["price_delta"])
        item["delta_sign"] = "+" if delta > 0 else ""
        item["has_delta"] = delta != 0
        if not value["available"]:
            key = _reason_key(value)
            item["shared"] = key in shared_ids
            item["why_id"] = shared_ids.get(key) or item["id"] + "--why"
            reason = value["reason"]
            item["why"] = (" ".join(reason["messages"]) if reason else "") or _(
                "not available with your choices"
            )
            if reason and reason["repair"]:
                item["repair_text"] = (
                    f"{_('Switch to it')} ({_('changes')} {_names(reason['repair'], groups)})"
                )
        values.append(item)
    return values, shared


def _with_unit(number: str, group: Mapping[str, Any]) -> str:
    """ "120 cm", "0,5 m": a number group's number as the shopper reads it."""
    unit = group["limits"].get("unit", "")
    shown = number.replace(".", ",") if get_language() == "vi" else number
    return f"{shown} {unit}" if unit else shown


def _number_item(
    group: dict[str, Any], typed: Mapping[str, str], groups: Mapping[str, dict[str, Any]]
) -> dict[str, Any]:
    """A number group's field: what it holds, its range said in words, and each run of its
    numbers that other choices rule out, with the reason and the repair."""
    limits = group["limits"]
    chosen = group["chosen"]
    hint_numbers = {
        "min": _with_unit(limits["minimum"], {"limits": {}}),
        "max": _with_unit(limits["maximum"], group),
        "step": _with_unit(limits["increment"], group),
    }
    blocked = []
    for run in group["ranges"]:
        if run["available"]:
            continue
        reason = run["reason"] or {}
        span = (
            _with_unit(run["from"], group)
            if run["from"] == run["to"]
            else f"{_with_unit(run['from'], {'limits': {}})}–{_with_unit(run['to'], group)}"
        )
        blocked.append(
            {
                "text": span,
                "why": " ".join(reason.get("messages") or ())
                or _("not available with your choices"),
                "value": run["from"],
                "repair_text": (
                    f"{_('Switch to it')} {_with_unit(run['from'], group)} "
                    f"({_('changes')} {_names(reason['repair'], groups)})"
                    if reason.get("repair")
                    else ""
                ),
            }
        )
    return {
        "number_text": typed.get(group["code"], "" if chosen is None else str(chosen)),
        "hint": _("From %(min)s to %(max)s, in steps of %(step)s.") % hint_numbers,
        "blocked": blocked,
        "step_attr": limits["increment"],
    }


def _chosen_text(group: dict[str, Any], uploaded: bool) -> str:
    """What the summary says of a group's choice."""
    if group["kind"] == "number":
        return _with_unit(str(group["chosen"]), group) if group["chosen"] else _("None")
    if group["kind"] == "text":  # in quotes, as the cart and the order show it
        return f"“{group['chosen']}”" if group["chosen"] else _("None")
    if group["kind"] == "image":
        return _("Picture uploaded") if uploaded and group["chosen"] else _("None")
    chosen = [v["name"] for v in group["values"] if v["chosen"]]
    return ", ".join(chosen) or _("None")


def form_context(
    *,
    state: Mapping[str, Any],
    expanded: set[str],
    errors: Mapping[str, str],
    typed: Mapping[str, str],
    placing: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What the template draws: the steps with their groups ready to render, the summary.

    Steps are the merchant's (groups sharing a ``step`` number, in order; groups without
    one after them); when the merchant set no step at all, each group is a step. The last
    step is always the summary before the cart.
    """
    by_code = {g["code"]: g for g in state["groups"]}
    uploads = state.get("uploads") or {}
    groups = []
    for group in state["groups"]:
        item = dict(group)
        item["error"] = errors.get(group["code"], "")
        item["reason_text"] = (state.get("reasons") or {}).get(group["code"], "")
        if group["kind"] in ("choice", "multi"):
            item["visible"], item["shared"] = _choice_values(
                group, by_code, group["code"] in expanded
            )
            item["open"] = group["code"] in expanded
        elif group["kind"] == "number":
            item |= _number_item(group, typed, by_code)
        elif group["kind"] == "text":
            item["text"] = unicodedata.normalize(
                "NFC", typed.get(group["code"], group["chosen"] or "")
            )
            item["counter"] = _counter(item["text"], group["limits"].get("max_length"))
        else:
            item["upload"] = uploads.get(group["code"])
            item["note"] = _image_note(group, item["upload"])
        item["place"] = _place_context(state, group, errors, placing or {})
        groups.append(item)
    steps = _steps(groups)
    total = len(steps) + 1
    numbered = [
        {
            "number": i,
            "title": _("Step %(number)s/%(total)s · %(names)s")
            % {"number": i, "total": total, "names": " · ".join(g["name"] for g in step)},
            "groups": step,
        }
        for i, step in enumerate(steps, start=1)
    ]
    summary = {
        "number": total,
        "title": _("Step %(number)s/%(total)s · %(names)s")
        % {"number": total, "total": total, "names": _("Review")},
        "rows": [
            {"name": g["name"], "chosen": _chosen_text(g, g["code"] in uploads)}
            for g in state["groups"]
        ],
    }
    return {"steps": numbered, "summary": summary, "general_error": errors.get("", "")}


def _place_context(
    state: Mapping[str, Any],
    group: Mapping[str, Any],
    errors: Mapping[str, str],
    placing: Mapping[str, Any],
) -> dict[str, Any] | None:
    """The placement's number fields of a placeable group holding a picture or a text:
    their values (as typed when refused), the refusal beside them; None otherwise."""
    code = group["code"]
    if code not in (state.get("areas") or {}) or not group["chosen"]:
        return None
    if group["kind"] == "image" and code not in (state.get("uploads") or {}):
        return None
    placed = {"x": 0.5, "y": 0.5, "scale": 1.0, "rotation": 0.0}
    placed.update((state.get("placement") or {}).get(code) or {})
    asked = placing.get(code) if isinstance(placing.get(code), Mapping) else None
    fields = []
    labels = {
        "x": _("Across (%)"),
        "y": _("Down (%)"),
        "scale": _("Size (%)"),
        "turn": _("Turn (°)"),
    }
    limits = {"x": (0, 100), "y": (0, 100), "scale": (10, 100), "turn": (-180, 180)}
    for name, key, factor in PLACE_FIELDS:
        value = (asked or placed).get(key, placed[key])
        shown = (
            f"{value * factor:g}"
            if isinstance(value, int | float) and not isinstance(value, bool)
            else str(value)[:PLACE_FIELD_MAX]
        )
        low, high = limits[name]
        fields.append(
            {
                "id": place_field(code, name),
                "label": labels[name],
                "value": shown,
                "min": low,
                "max": high,
            }
        )
    return {"fields": fields, "error": errors.get(f"{code}--place", "")}


def _steps(groups: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    if all(g["step"] is None for g in groups):
        return [[g] for g in groups]
    by_step: dict[int, list[dict[str, Any]]] = {}
    for group in groups:
        by_step.setdefault(9999 if group["step"] is None else group["step"], []).append(group)
    return [by_step[key] for key in sorted(by_step)]


def _counter(text: str, max_length: int | None) -> dict[str, Any] | None:
    if not max_length:
        return None
    left = max_length - len(text)
    if left >= 0:
        return {"text": f"{left} {_('characters left')}", "over": False}
    return {"text": f"{-left} {_('characters too many')}", "over": True}


def _image_note(group: Mapping[str, Any], upload: Mapping[str, Any] | None) -> dict[str, str]:
    if not upload or not group["chosen"]:
        return {"text": "", "kind": ""}
    quality = group.get("print_quality")
    if quality and quality["level"] != "ok":
        return {"text": quality["message"], "kind": "warning"}
    return {"text": _("Picture uploaded"), "kind": ""}
