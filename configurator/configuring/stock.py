"""Stock in the studio: the engine with out-of-stock values switched off, their reason, and
the delivery estimate of a configuration (``docs/stock.md``)."""

from __future__ import annotations

import datetime
import logging
import threading
import weakref
from collections.abc import Mapping
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from catalog.stock import NO_STOCK, Pair, StockState, stock_state
from configurator.engine import Engine

logger = logging.getLogger(__name__)

_empty_views: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()
_empty_lock = threading.Lock()


def engine_in_stock(*, engine: Engine, product_id: int, fresh: bool = False) -> Engine:
    """``engine`` with the product's out-of-stock values switched off (no recompile).

    When stock leaves no configuration at all, the engine as compiled is kept (and logged):
    the studio still opens, and checkout refuses what is out of stock (``checkout.E009``).
    """
    state = stock_state(product_id=product_id, fresh=fresh)
    if not state.off:
        return engine.switched_on
    view = engine.switched_off(state.off)
    with _empty_lock:
        empty = _empty_views.get(view)
    if empty is None:
        empty = not view.is_consistent({})
        with _empty_lock:
            _empty_views[view] = empty
        if empty:
            logger.warning(
                "stock of product %s leaves no configuration; out-of-stock values stay shown",
                product_id,
            )
    return engine.switched_on if empty else view


def stock_for(*, product_id: int) -> StockState:
    """The product's stock as the studio reads it (kept a few seconds per process)."""
    return stock_state(product_id=product_id)


def chosen_pairs(engine: Engine, selection: Mapping[str, Any]) -> list[Pair]:
    """The ``(group, value)`` pairs a selection holds (choice and multi groups)."""
    pairs: list[Pair] = []
    for code, chosen in selection.items():
        spec = engine.groups.get(code)
        if spec is None or not spec.has_values or chosen is None:
            continue
        values = chosen if isinstance(chosen, list | tuple) else [chosen]
        pairs.extend((code, str(value)) for value in values)
    return pairs


def date_text(date: datetime.date, language: str) -> str:
    """A date the way the shopper reads it ("Thứ 5, 10/12/2026", "Thursday, Dec. 10, 2026")."""
    with translation.override(language):
        return formats.date_format(date, pgettext("date format of a delivery", "l, N j, Y"))


def delivery_payload(
    *,
    engine: Engine,
    selection: Mapping[str, Any],
    stock: StockState,
    today: datetime.date,
    language: str,
) -> dict[str, Any] | None:
    """When the configuration should ship: the product's days plus the slowest chosen
    value's lead time from ``today``; None when the merchant set no lead time at all."""
    if stock is NO_STOCK or (not stock.product_lead_days and not stock.lead_days):
        return None
    days = stock.delivery_days(chosen_pairs(engine, selection))
    date = today + datetime.timedelta(days=days)
    with translation.override(language):
        text = _("Expected delivery: %(date)s") % {"date": date_text(date, language)}
    return {"days": days, "date": date.isoformat(), "text": text}


def delivery_of_line(
    *, product_id: int, selection: Mapping[str, Any], today: datetime.date, language: str
) -> str:
    """ "Dự kiến giao: …" for a stored selection (a cart line), or "" when the merchant set
    no lead time. Value codes are read without the engine: only values have stock rows."""
    stock = stock_state(product_id=product_id)
    if stock is NO_STOCK or (not stock.product_lead_days and not stock.lead_days):
        return ""
    pairs: list[Pair] = []
    for code, chosen in selection.items():
        values = chosen if isinstance(chosen, list) else [chosen]
        pairs.extend((code, value) for value in values if isinstance(value, str))
    date = today + datetime.timedelta(days=stock.delivery_days(pairs))
    with translation.override(language):
        return _("Expected delivery: %(date)s") % {"date": date_text(date, language)}


def out_of_stock_text(restock: datetime.date | None, language: str) -> str:
    """ "Hết hàng", with the day it is expected back when the merchant knows it."""
    with translation.override(language):
        if restock is None:
            return _("Out of stock")
        return _("Out of stock, expected back on %(date)s") % {
            "date": formats.date_format(restock, pgettext("date format of a restock", "N j, Y"))
        }
