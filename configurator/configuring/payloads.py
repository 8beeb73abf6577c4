"""Plain-JSON renderings of the studio's dataclasses (money as decimal strings)."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import OptionSetVersion, Product
from catalog.money import money_display
from catalog.selectors import money_text
from catalog.stock import NO_STOCK, StockState
from configurator.configuring.evaluation import (
    Evaluation,
    NumberRange,
    Reason,
    ValueInfo,
    ValueState,
    localized,
)
from configurator.configuring.legibility import text_contrasts
from configurator.configuring.selection import violation_text
from configurator.configuring.stock import delivery_payload, out_of_stock_text, stock_for
from configurator.engine import Engine, ImageInfo, Price, PriceLine
from configurator.preview.printing import PrintQuality


def media_url(name: str) -> str | None:
    """A stored file's URL (value thumbnails are stored names in the option set)."""
    if not name:
        return None
    if name.startswith(("http://", "https://", "/")):
        return name
    return default_storage.url(name)


@functools.lru_cache(maxsize=4096)
def _money(amount: Decimal, currency: str) -> str:
    return money_text(amount, currency)


# The parts of a value's payload that no selection changes, made once per value and
# currency; keyed by the value's id, the entry holding the value so that the id stays its own.
_value_parts: dict[tuple[int, str], tuple[ValueInfo, dict[str, Any]]] = {}
VALUE_PARTS_KEPT = 20_000


def _static_parts(info: ValueInfo, currency: str) -> dict[str, Any]:
    found = _value_parts.get((id(info), currency))
    if found is not None and found[0] is info:
        return found[1]
    parts = {
        "code": info.code,
        "name": info.name,
        "price_delta": _money(info.price_delta, currency),
        "swatch": info.swatch or None,
        "image": media_url(info.image),
        "attributes": dict(info.attributes),
    }
    if len(_value_parts) >= VALUE_PARTS_KEPT:
        _value_parts.clear()
    _value_parts[(id(info), currency)] = (info, parts)
    return parts


def _reason_payload(reason: Reason | None) -> dict[str, Any] | None:
    if reason is None:
        return None
    return {
        "conflict": list(reason.conflict),
        "messages": list(reason.messages),
        "repair": reason.repair,
    }


def _range_payload(run: NumberRange) -> dict[str, Any]:
    """A run of a number group's values: ``from`` and ``to`` (both included), available or
    not, and why not."""
    return {
        "from": run.first,
        "to": run.last,
        "available": run.available,
        "reason": _reason_payload(run.reason),
    }


def _value_payload(
    value: ValueState, currency: str, group: str, stock: StockState, language: str
) -> dict[str, Any]:
    reason = value.reason
    return {
        **_static_parts(value.info, currency),
        "available": value.available,
        "chosen": value.chosen,
        "shown": value.shown,
        "reason": _stock_reason(group, value.code, stock, language)
        if reason is not None and reason.out_of_stock
        else _reason_payload(reason),
    }


def _stock_reason(group: str, value: str, stock: StockState, language: str) -> dict[str, Any]:
    """An out-of-stock value's reason: "Hết hàng", and when it is expected back."""
    restock = stock.restock.get((group, value))
    return {
        "conflict": [],
        "messages": [out_of_stock_text(restock, language)],
        "repair": None,
        "out_of_stock": True,
        "restock_date": restock.isoformat() if restock else None,
    }


def product_payload(product: Product, language: str) -> dict[str, Any]:
    return {
        "sku": product.sku,
        "name": product.name_in(language),
        "base_price": _money(product.base_price, product.currency),
        "currency": product.currency,
    }


def _line_label(line: PriceLine, currency: str, language: str, per_char: Decimal | None) -> str:
    """A line's label; a text's says it is charged per character ("Chữ in: 9 ký tự × 10.000 ₫")."""
    label = localized(line.label, language)
    if line.kind != "text" or not per_char or line.quantity is None:
        return label
    return _per_char_label(label, line.quantity, per_char, currency, language)


@functools.lru_cache(maxsize=1024)
def _per_char_label(name: str, count: int, per_char: Decimal, currency: str, language: str) -> str:
    # Kept: a monogram typed key by key asks for the same few labels, and switching the
    # language and formatting money with Babel took a third of a new evaluate answer.
    with translation.override(language):
        return ngettext(
            "%(name)s: %(count)s character × %(price)s",
            "%(name)s: %(count)s characters × %(price)s",
            count,
        ) % {"name": name, "count": count, "price": money_display(per_char, currency, language)}


def price_payload(
    price: Price, language: str, per_char: Mapping[str, Decimal] | None = None
) -> dict[str, Any]:
    """The price, line by line; ``per_char`` (text group -> price of a character) makes the
    label of a text's line say what it is charged per character."""
    per_char = per_char or {}
    return {
        "currency": price.currency,
        "total": _money(price.total, price.currency),
        "lines": [
            {
                "kind": line.kind,
                "label": _line_label(line, price.currency, language, per_char.get(line.group)),
                "group": line.group or None,
                "value": line.value or None,
                "quantity": line.quantity,
                "amount": _money(line.amount, price.currency),
            }
            for line in price.lines
        ],
    }


def _quality_payload(quality: PrintQuality | None) -> dict[str, Any] | None:
    """How sharp the chosen picture prints, with a message in the shopper's language."""
    if quality is None:
        return None
    numbers = {
        "dpi": f"{quality.effective_dpi:.0f}",
        "target": quality.target_dpi,
        "width": quality.needed[0],
        "height": quality.needed[1],
    }
    if quality.level == "ok":
        message = ""
    elif quality.level == "low":
        message = (
            _(
                "The picture prints at about %(dpi)s DPI; %(target)s DPI needs "
                "%(width)s×%(height)s pixels. It may look soft."
            )
            % numbers
        )
    else:
        message = (
            _(
                "The picture is too small for the print area: about %(dpi)s DPI where "
                "%(target)s DPI needs %(width)s×%(height)s pixels. It will look blurry."
            )
            % numbers
        )
    return {
        "level": quality.level,
        "code": quality.code or None,
        "effective_dpi": quality.effective_dpi,
        "needed": list(quality.needed),
        "message": message,
    }


def _selection_value(value: Any) -> Any:
    if isinstance(value, ImageInfo):
        return {"width": value.width, "height": value.height, "format": value.format}
    return value


def evaluation_payload(
    evaluation: Evaluation,
    version: OptionSetVersion,
    language: str,
    *,
    engine: Engine | None = None,
    today: datetime.date | None = None,
) -> dict[str, Any]:
    """The studio state as JSON. With ``engine`` (the one evaluated), out-of-stock values
    say when they are expected back, and ``delivery`` says when the configuration should
    ship from ``today`` (default: today in the shop's time zone)."""
    currency = evaluation.price.currency
    stock = stock_for(product_id=version.product_id) if engine is not None else NO_STOCK
    delivery = (
        delivery_payload(
            engine=engine,
            selection=evaluation.selection,
            stock=stock,
            today=today or timezone.localdate(),
            language=language,
        )
        if engine is not None
        else None
    )
    # How each typed text reads where it is printed (only with the engine: its document
    # names the preview layers).
    contrasts = (
        text_contrasts(
            version=version, document=engine.presentation, evaluation=evaluation, language=language
        )
        if engine is not None
        else {}
    )
    return {
        "product": version.product.sku,
        "version": version.number,
        "selection": {k: _selection_value(v) for k, v in evaluation.selection.items()},
        "complete": evaluation.complete,
        "placement": {
            group: placement.as_dict() for group, placement in evaluation.placements.items()
        },
        "groups": [
            {
                "code": group.code,
                "name": group.name,
                "kind": group.kind,
                "step": group.step,
                "required": group.required,
                "help": group.help,
                "chosen": _selection_value(group.chosen),
                "can_be_empty": group.can_be_empty,
                "more": group.more,
                "limits": {
                    key: (_money(value, currency) if isinstance(value, Decimal) else value)
                    for key, value in group.limits.items()
                },
                "print_quality": _quality_payload(group.print_quality),
                "contrast": contrasts.get(group.code),
                "values": [
                    _value_payload(value, currency, group.code, stock, language)
                    for value in group.values
                ],
                "ranges": [_range_payload(run) for run in group.ranges],
            }
            for group in evaluation.groups
        ],
        "price": price_payload(
            evaluation.price,
            language,
            {
                group.code: group.limits["price_per_char"]
                for group in evaluation.groups
                if group.limits.get("price_per_char")
            },
        ),
        "delivery": delivery,
        "violations": [
            {
                "code": v.code,
                "detail": violation_text(engine, v, language) if engine else v.message,
                "groups": list(v.groups),
                "rule": v.rule.id if v.rule else None,
            }
            for v in evaluation.violations
        ],
    }
