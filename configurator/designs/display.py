"""A kept selection as its shopper sees it again: names instead of codes, and a thumbnail.

Cart lines and saved designs keep codes (``{"color": "black"}``); the pages after the studio
show the merchant's names in the page's language ("Đen", "Black"). Order lines keep names
in their snapshot (``OrderLine.choices``); :func:`choices_completed` fills the few a row
from before the snapshot carried them lacks, from the version they were made on (a
published version never changes).

Every choice is a dict in the shape of the order snapshot: ``group``, ``group_name``
(language -> name), ``kind``, and ``value`` with ``value_name``, or ``text``, or ``upload``;
a number group's choice is its number as ``value`` with ``unit`` and ``value_name``
("120 cm").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from catalog.models import OptionGroup, OptionSetVersion, OptionValue
from configurator.configuring.previews import encode_selection

Names = dict[str, str]  # language -> name, both "vi" and "en" present

THUMBNAIL_SIZE = 256  # the smallest preview size: shown at 96 px, sharp at 2x and more
THUMBNAIL_FORMAT = "webp"


def both_languages(names: Mapping[str, str] | None, fallback: str = "") -> Names:
    """``{"vi", "en"}`` from a merchant's names: English falls back to Vietnamese (the
    shop's first language), both to ``fallback`` (a code only when there is no name at all)."""
    names = names or {}
    vi = names.get("vi") or names.get("") or next((v for v in names.values() if v), fallback)
    return {"vi": vi, "en": names.get("en") or vi}


def number_names(code: str, unit: str) -> Names:
    """A number group's number with its unit, as each language writes it: "0,5 m", "0.5 m"."""
    vi = code.replace(".", ",")
    return {
        "vi": f"{vi} {unit}" if unit else vi,
        "en": f"{code} {unit}" if unit else code,
    }


@dataclass(frozen=True)
class VersionNames:
    """The names of one version's groups and values."""

    kinds: dict[str, str] = field(default_factory=dict)  # group -> kind, in the group order
    groups: dict[str, Names] = field(default_factory=dict)
    values: dict[tuple[str, str], Names] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)  # number group -> its unit


def version_names(version_ids: Iterable[int]) -> dict[int, VersionNames]:
    """The names of the versions' groups and values, in two queries."""
    ids = set(version_ids)
    found: dict[int, VersionNames] = {pk: VersionNames() for pk in ids}
    if not ids:
        return found
    groups = OptionGroup.objects.filter(version_id__in=ids).order_by("position", "id")
    for version_id, code, kind, name_vi, name_en, unit in groups.values_list(
        "version_id", "code", "kind", "name_vi", "name_en", "unit"
    ):
        found[version_id].kinds[code] = kind
        if kind == "number":
            found[version_id].units[code] = unit
        found[version_id].groups[code] = both_languages({"vi": name_vi, "en": name_en}, code)
    values = OptionValue.objects.filter(group__version_id__in=ids)
    for version_id, group, code, name_vi, name_en in values.values_list(
        "group__version_id", "group__code", "code", "name_vi", "name_en"
    ):
        found[version_id].values[(group, code)] = both_languages(
            {"vi": name_vi, "en": name_en}, code
        )
    return found


def selection_choices(selection: Mapping[str, Any], names: VersionNames) -> list[dict[str, Any]]:
    """A kept selection (group -> code, codes, text or upload id) as named choices, in the
    merchant's group order; groups the version no longer knows are left out."""
    choices: list[dict[str, Any]] = []
    for group, kind in names.kinds.items():
        chosen = selection.get(group)
        if chosen in (None, "", []):
            continue
        base = {"group": group, "group_name": names.groups[group], "kind": kind}
        if kind in ("choice", "multi"):
            for code in chosen if isinstance(chosen, list) else [chosen]:
                value_name = names.values.get((group, str(code)))
                if value_name is not None:
                    choices.append({**base, "value": str(code), "value_name": value_name})
        elif kind == "number":
            unit = names.units.get(group, "")
            value_name = number_names(str(chosen), unit)
            choices.append({**base, "value": str(chosen), "value_name": value_name, "unit": unit})
        elif kind == "text":
            choices.append({**base, "text": str(chosen)})
        elif kind == "image":
            choices.append({**base, "upload": str(chosen)})
    return choices


def choices_completed(
    choices: Sequence[Mapping[str, Any]], names: VersionNames | None
) -> list[dict[str, Any]]:
    """An order line's snapshot choices, each with names in both languages: from the
    snapshot when it has them, else from the version's names, else the code as a last resort."""
    completed = []
    for choice in choices:
        group = str(choice.get("group", ""))
        group_name = choice.get("group_name") or (names.groups.get(group) if names else None)
        row = {**choice, "group_name": both_languages(group_name, group)}
        if row.get("value"):
            value = str(row["value"])
            value_name = row.get("value_name") or (
                names.values.get((group, value)) if names else None
            )
            row["value_name"] = both_languages(value_name, value)
        completed.append(row)
    return completed


def snapshot_lacks_names(choices: Sequence[Mapping[str, Any]]) -> bool:
    """Whether an order line's choices need :func:`version_names` (rows from before names)."""
    return any(
        not choice.get("group_name") or (choice.get("value") and not choice.get("value_name"))
        for choice in choices
    )


def thumbnail_url(version: OptionSetVersion, selection: Mapping[str, Any]) -> str:
    """The small live preview of a kept selection.

    It is the API's preview URL: a preview that shows a shopper's picture is rendered and
    served only for the picture's owner (anyone else gets 404), and is kept in the private
    storage; the others are public, cached images.
    """
    path = reverse(
        "api:preview",
        args=[version.product.sku, version.number, THUMBNAIL_SIZE, THUMBNAIL_FORMAT],
    )
    return f"{path}?s={encode_selection(selection)}"
