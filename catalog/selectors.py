"""Reads of the catalog: option-set documents and the versions they come from.

:func:`option_set_document` writes a version in the canonical form of option-set/1
(``docs/option-set-format.md``): importing a canonical document and exporting it again gives
back an equal document.
"""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Max

from .format import FORMAT_TAG
from .models import (
    DEFAULT_VIEW,
    BlockedWord,
    GroupKind,
    OptionGroup,
    OptionSetVersion,
    OptionValue,
    PreviewLayer,
    Product,
    ProductView,
    Rule,
    RuleKind,
    VersionStatus,
)
from .moderation import BlockedTerm, WordList
from .money import has_valid_decimals, minor_units
from .numbers import number_text


def money_text(amount: Decimal, currency: str) -> str:
    """``amount`` as a decimal string with the currency's minor unit (``"350000"``, ``"12.50"``).

    An amount with more decimals than the currency allows keeps them, so that nothing is
    silently rounded (the Check reports it).
    """
    if has_valid_decimals(amount, currency):
        amount = amount.quantize(Decimal(1).scaleb(-minor_units(currency)))
    else:
        amount = amount.normalize()
    return format(amount, "f")


def names_document(vi: str, en: str) -> dict[str, str]:
    """A language object holding the languages that have a text."""
    names = {}
    if en:
        names["en"] = en
    if vi:
        names["vi"] = vi
    return names


def product_document(*, product: Product) -> dict[str, Any]:
    """The ``product`` part of the option-set document for the live ``product``."""
    document: dict[str, Any] = {
        "sku": product.sku,
        "name": names_document(product.name_vi, product.name_en),
        "base_price": money_text(product.base_price, product.currency),
        "currency": product.currency,
    }
    if product.max_visible_values is not None:
        document["max_visible_values"] = product.max_visible_values
    if product.base_cost:
        document["base_cost"] = money_text(product.base_cost, product.currency)
    if product.min_margin is not None:
        document["min_margin"] = percent_text(product.min_margin)
    extensions: dict[str, Any] = {}
    if not product.is_active:
        extensions["active"] = False
    description = names_document(product.description_vi, product.description_en)
    if description:
        extensions["description"] = description
    if extensions:
        document["extensions"] = extensions
    return document


def percent_text(percent: Decimal) -> str:
    """A percent as a decimal string without trailing zeros (``"20"``, ``"12.5"``)."""
    return format(percent.normalize(), "f")


COST_KEYS = frozenset({"base_cost", "min_margin", "cost", "cost_per_char"})


def without_costs(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` without what making things costs the merchant and the margin they want:
    what a shopper may read."""
    shown = {**document, "product": _drop_costs(document.get("product") or {})}
    shown["groups"] = [
        {
            **_drop_costs(group),
            **(
                {"values": [_drop_costs(value) for value in group["values"]]}
                if "values" in group
                else {}
            ),
        }
        for group in document.get("groups", ())
    ]
    return shown


def _drop_costs(part: dict[str, Any]) -> dict[str, Any]:
    return {key: item for key, item in part.items() if key not in COST_KEYS}


def option_set_document(*, version: OptionSetVersion) -> dict[str, Any]:
    """The option-set/1 document of ``version``, in canonical form, in five queries.

    A published version speaks for the product as it was frozen at publication; a draft
    reads the live product.
    """
    version = OptionSetVersion.objects.select_related("product").get(pk=version.pk)
    if version.status == VersionStatus.PUBLISHED and version.frozen_product is not None:
        product = dict(version.frozen_product)
        currency = product["currency"]
    else:
        product = product_document(product=version.product)
        currency = version.product.currency
    groups = list(
        OptionGroup.objects.filter(version=version)
        .select_related("library")
        .order_by("position", "id")
    )
    values_by_group: dict[int, list[OptionValue]] = {group.pk: [] for group in groups}
    for value in OptionValue.objects.filter(group__version=version).order_by(
        "group_id", "position", "id"
    ):
        values_by_group[value.group_id].append(value)
    rules = Rule.objects.filter(version=version).order_by("position", "id")
    document: dict[str, Any] = {
        "format": FORMAT_TAG,
        "product": product,
        "groups": [_group(group, values_by_group[group.pk], currency) for group in groups],
        "rules": [_rule(rule) for rule in rules],
    }
    extensions: dict[str, Any] = {}
    if version.note:
        extensions["note"] = version.note
    views = list(ProductView.objects.filter(version=version).order_by("position", "id"))
    if not _only_default_view(views):
        extensions["views"] = [_view(view) for view in views]
    layers = _layers(version, groups, values_by_group, views)
    if layers:
        extensions["preview_layers"] = layers
    if extensions:
        document["extensions"] = extensions
    return document


def _group(group: OptionGroup, values: list[OptionValue], currency: str) -> dict[str, Any]:
    document: dict[str, Any] = {
        "code": group.code,
        "name": names_document(group.name_vi, group.name_en),
        "kind": group.kind,
    }
    if group.library is not None:
        document["library"] = group.library.code
    optional: dict[str, Any] = {
        "step": group.step,
        "required": False if not group.required else None,
        "max_visible_values": group.max_visible_values,
        "help": names_document(group.help_vi, group.help_en) or None,
    }
    if group.kind == GroupKind.MULTI:
        optional |= {"min": group.min_values, "max": group.max_values}
    elif group.kind == GroupKind.TEXT:
        optional |= {
            "max_length": group.max_length,
            "pattern": group.pattern or None,
            "price_delta": group.price_delta,
            "price_per_char": group.price_per_char,
            "cost": group.cost,
            "cost_per_char": group.cost_per_char,
        }
    elif group.kind == GroupKind.IMAGE:
        optional |= {
            "max_bytes": group.max_bytes,
            "min_width": group.min_width,
            "min_height": group.min_height,
            "formats": list(group.formats) or None,
            "price_delta": group.price_delta,
            "cost": group.cost,
        }
    elif group.kind == GroupKind.NUMBER:
        optional |= {
            "minimum": _measure(group.number_min),
            "maximum": _measure(group.number_max),
            "increment": _measure(group.number_increment),
            "default": _measure(group.number_default),
            "unit": group.unit or None,
            "price_per_unit": group.price_per_unit,
            "price_formula": group.price_formula or None,
        }
    for key, item in optional.items():
        if item is not None:
            document[key] = money_text(item, currency) if isinstance(item, Decimal) else item
    if group.kind in (GroupKind.CHOICE, GroupKind.MULTI):
        document["values"] = [_value(value, currency) for value in values]
    extensions = dict(group.extensions or {})
    if group.curated_order:
        extensions["curated_order"] = True
    if extensions:
        document["extensions"] = extensions
    return document


def _measure(number: Decimal | None) -> str | None:
    """A number group's bound as the format writes it: a decimal string, no trailing zeros."""
    return None if number is None else number_text(number)


def _value(value: OptionValue, currency: str) -> dict[str, Any]:
    document: dict[str, Any] = {
        "code": value.code,
        "name": names_document(value.name_vi, value.name_en),
    }
    if value.price_delta:
        document["price_delta"] = money_text(value.price_delta, currency)
    if value.cost:
        document["cost"] = money_text(value.cost, currency)
    if value.production_code:
        document["production_code"] = value.production_code
    if value.swatch:
        document["swatch"] = value.swatch
    if value.attributes:
        document["attributes"] = value.attributes
    if value.is_default:
        document["default"] = True
    extensions = dict(value.extensions or {})
    if not value.is_active:
        extensions["active"] = False
    if value.image:
        extensions["image"] = value.image.name
    if extensions:
        document["extensions"] = extensions
    return document


def _rule(rule: Rule) -> dict[str, Any]:
    document: dict[str, Any] = {"kind": rule.kind}
    if rule.rule_id:
        document["id"] = rule.rule_id
    message = names_document(rule.message_vi, rule.message_en)
    if message:
        document["message"] = message
    if rule.kind in (RuleKind.ALLOWED, RuleKind.FORBIDDEN):
        document["groups"] = rule.table_groups
        document["rows"] = rule.rows
    else:
        document["if"] = rule.condition_if
        document["then"] = rule.condition_then
    if rule.extensions:
        document["extensions"] = rule.extensions
    return document


def _only_default_view(views: list[ProductView]) -> bool:
    """True when the version has no view, or only the one a document without views gets
    (so documents from before views export as they were)."""
    if len(views) > 1:
        return False
    return not views or all(getattr(views[0], key) == item for key, item in DEFAULT_VIEW.items())


def _view(view: ProductView) -> dict[str, Any]:
    document: dict[str, Any] = {
        "code": view.code,
        "name": names_document(view.name_vi, view.name_en),
    }
    if not view.prints:
        document["prints"] = False
    return document


def _layers(
    version: OptionSetVersion,
    groups: list[OptionGroup],
    values_by_group: dict[int, list[OptionValue]],
    views: list[ProductView],
) -> list[dict[str, Any]]:
    group_codes = {group.pk: group.code for group in groups}
    value_codes = {value.pk: value.code for values in values_by_group.values() for value in values}
    # A layer of the first view (or of none, which is the first) says no view.
    view_codes = {view.pk: view.code for view in views[1:]}
    layers = []
    for layer in PreviewLayer.objects.filter(version=version).order_by("position", "id"):
        document: dict[str, Any] = {"kind": layer.kind}
        optional = {
            "view": view_codes.get(layer.view_id) if layer.view_id else None,
            "group": group_codes.get(layer.group_id) if layer.group_id else None,
            "value": value_codes.get(layer.value_id) if layer.value_id else None,
            "image": layer.image.name or None,
            "font": layer.font.name or None,
            "text_color": layer.text_color or None,
            "color_group": group_codes.get(layer.color_group_id) if layer.color_group_id else None,
            "font_group": group_codes.get(layer.font_group_id) if layer.font_group_id else None,
            "x": layer.x or None,
            "y": layer.y or None,
            "width": layer.width,
            "height": layer.height,
            "print_dpi": layer.print_dpi if layer.print_dpi != 300 else None,
            "print_width_mm": layer.print_width_mm,
            "print_height_mm": layer.print_height_mm,
        }
        document |= {key: item for key, item in optional.items() if item is not None}
        layers.append(document)
    return layers


def option_set_version_get(*, sku: str, number: int | None = None) -> OptionSetVersion:
    """Version ``number`` of product ``sku``; without a number, the latest published version,
    else the draft. Raises ``OptionSetVersion.DoesNotExist`` when there is none."""
    versions = OptionSetVersion.objects.select_related("product").filter(product__sku=sku)
    if number is not None:
        return versions.get(number=number)
    published = versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()
    if published is not None:
        return published
    return versions.get(status=VersionStatus.DRAFT)


def option_set_next_number(*, product: Product) -> int:
    """The number a new version of ``product`` takes: one more than the highest so far."""
    highest = OptionSetVersion.objects.filter(product=product).aggregate(n=Max("number"))["n"]
    return (highest or 0) + 1


# The blocked words, read at most every ``CATALOG_BLOCKED_WORDS_SECONDS`` (30) per process: a
# monogram typed key by key would otherwise query them at every keystroke. A change made in
# this process clears them at once (``blocked_words_forget``, on save and delete); other
# processes and nodes see it within that time, and the cart and checkout read them afresh.
_blocked: tuple[float, WordList] | None = None
_blocked_lock = threading.Lock()


def blocked_words(*, fresh: bool = False) -> WordList:
    """The merchant's active blocked words (a query at most every few seconds; ``fresh``:
    now)."""
    global _blocked
    now = time.monotonic()
    found = _blocked
    seconds = getattr(settings, "CATALOG_BLOCKED_WORDS_SECONDS", 30)
    if not fresh and found is not None and now - found[0] < seconds:
        return found[1]
    rows = BlockedWord.objects.filter(is_active=True).values_list(
        "word", "message_vi", "message_en"
    )
    words = WordList(
        BlockedTerm(word, {"vi": message_vi, "en": message_en})
        for word, message_vi, message_en in rows
    )
    with _blocked_lock:
        _blocked = (now, words)
    return words


def blocked_words_forget(**kwargs: Any) -> None:
    """Read the blocked words again next time (a signal receiver: one was saved or deleted)."""
    global _blocked
    with _blocked_lock:
        _blocked = None
