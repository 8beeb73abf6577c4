"""Shared libraries: palettes, materials and fonts defined once and used by many products.

A choice or multi group that names a library (``OptionGroup.library``; ``"library"`` in
option-set/1) takes its values from it. The values are copied into the group, so a version
stays a self-contained snapshot and a published one never moves; a change of the library is
copied into every **draft** that uses it (:func:`library_propagate`), and a new draft made
from a published version takes the library as it is then (:func:`library_groups_refresh`).
What belongs to one product stays with the product: which value is its default, which is
switched off, its thumbnail.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from .extensions import Problem
from .format import OptionSetFormatError
from .models import Library, LibraryValue, OptionGroup, OptionSetVersion, OptionValue, VersionStatus
from .selectors import names_document

logger = logging.getLogger(__name__)


def library_references_resolve(*, document: Any) -> tuple[Any, dict[str, Library]]:
    """``document`` with each library group's values filled in from its library when the
    document gives none, and the libraries it names by code.

    Raises :class:`OptionSetFormatError` with ``format.E065`` for each library that does not
    exist (alone: the rest of the document is judged once its libraries are known). A
    document of the wrong shape is returned as it is, for the format's own checks.
    """
    if not isinstance(document, dict) or not isinstance(document.get("groups"), list):
        return document, {}
    named = {
        (i, group["library"])
        for i, group in enumerate(document["groups"])
        if isinstance(group, dict) and isinstance(group.get("library"), str)
    }
    libraries = {
        library.code: library
        for library in Library.objects.filter(code__in={code for _, code in named})
    }
    missing = [
        Problem(
            "format.E065",
            f"No shared library has the code “{code}”.",
            f"$.groups[{i}].library",
        )
        for i, code in sorted(named)
        if code not in libraries
    ]
    if missing:
        logger.info("import refused: unknown libraries %s", [p.path for p in missing])
        raise OptionSetFormatError(missing)
    groups = list(document["groups"])
    for i, code in named:
        if "values" not in groups[i] and groups[i].get("kind") in ("choice", "multi"):
            groups[i] = {**groups[i], "values": library_document_values(libraries[code])}
    return {**document, "groups": groups}, libraries


def library_document_values(library: Library) -> list[dict[str, Any]]:
    """The library's values as option-set/1 values; amounts without trailing zeros (the
    import checks them against the product's currency)."""
    values = []
    for value in library.values.order_by("position", "id"):
        item: dict[str, Any] = {
            "code": value.code,
            "name": names_document(value.name_vi, value.name_en),
        }
        if value.price_delta:
            item["price_delta"] = format(value.price_delta.normalize(), "f")
        if value.cost:
            item["cost"] = format(value.cost.normalize(), "f")
        for key in ("production_code", "swatch", "attributes"):
            if getattr(value, key):
                item[key] = getattr(value, key)
        if value.font:
            item["extensions"] = {"font": value.font.name}
        values.append(item)
    return values


def library_propagate(*, library: Library) -> list[OptionSetVersion]:
    """Copy ``library`` into every draft group that uses it; the drafts touched, by product.

    Published versions keep their copy: the change reaches each product's next version.
    """
    with transaction.atomic():
        groups = list(
            OptionGroup.objects.select_related("version__product")
            .filter(library=library, version__status=VersionStatus.DRAFT)
            .order_by("version__product__sku", "position")
        )
        entries = list(library.values.order_by("position", "id"))
        touched: dict[int, OptionSetVersion] = {}
        for group in groups:
            _values_copy(group, entries)
            touched[group.version_id] = group.version
    logger.info("library %s copied into drafts %s", library.code, sorted(touched))
    return list(touched.values())


def library_groups_refresh(*, version: OptionSetVersion) -> None:
    """Copy each library of ``version``'s groups into them (a draft only)."""
    if version.status != VersionStatus.DRAFT:
        return
    for group in OptionGroup.objects.filter(version=version, library__isnull=False):
        assert group.library is not None
        _values_copy(group, list(group.library.values.order_by("position", "id")))


def _values_copy(group: OptionGroup, entries: list[LibraryValue]) -> None:
    """Make ``group``'s values the library's ``entries``, keeping what is the product's own
    (default, switched off, thumbnail) for the codes it already had."""
    existing = {value.code: value for value in OptionValue.objects.filter(group=group)}
    codes = {entry.code for entry in entries}
    OptionValue.objects.filter(group=group).exclude(code__in=codes).delete()
    for position, entry in enumerate(entries):
        value = existing.get(entry.code) or OptionValue(group=group, code=entry.code)
        value.name_vi, value.name_en = entry.name_vi, entry.name_en
        value.position = position
        value.price_delta, value.cost = entry.price_delta, entry.cost
        value.production_code, value.swatch = entry.production_code, entry.swatch
        value.attributes = dict(entry.attributes or {})
        extensions = {k: v for k, v in (value.extensions or {}).items() if k != "font"}
        if entry.font:
            extensions["font"] = entry.font.name
        value.extensions = extensions
        value.save()
