"""Stock and lead time per value: what each product has of a leather or a thread colour.

Stock lives outside the option set (it changes without a publish). The studio reads it for
every evaluation through :func:`stock_state`, a per-process copy kept a few seconds
(``CATALOG_STOCK_SECONDS``) and forgotten at once when a row is saved in this process;
checkout never trusts that copy (it takes stock with a conditional UPDATE,
``configurator/orders/stock.py``). Merchants set it in the admin, by API or by CSV
(:func:`stock_rows_read`, :func:`stock_import`); ``docs/stock.md``.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import transaction

from .models import LEAD_TIME_MAX_DAYS, STOCK_MAX, GroupKind, OptionValue, Product, ValueStock

logger = logging.getLogger(__name__)

Pair = tuple[str, str]  # (group code, value code)

STOCK_CSV_MAX_BYTES = 2 * 2**20
STOCK_CSV_MAX_LINES = 20_000
STOCK_CSV_COLUMNS = ("sku", "group", "value", "quantity", "lead_time_days", "restock_date")
ERRORS_LISTED = 100


class StockCode(StrEnum):
    UNKNOWN_PRODUCT = "stock.E001"
    UNKNOWN_VALUE = "stock.E002"  # no version of the product has this value
    BAD_QUANTITY = "stock.E003"
    BAD_LEAD_TIME = "stock.E004"
    BAD_DATE = "stock.E005"
    MISSING_COLUMNS = "stock.E006"
    TOO_LARGE = "stock.E007"
    REPEATED = "stock.E008"  # the same value twice in one file or request
    UNREADABLE = "stock.E009"


@dataclass(frozen=True)
class StockProblem:
    code: str
    message: str
    field: str  # "quantity", or "line 3" in a file


class StockRefused(Exception):
    """Stock input refused, every problem listed; nothing was written."""

    def __init__(self, problems: list[StockProblem], count: int | None = None) -> None:
        self.problems = problems
        self.count = len(problems) if count is None else count
        super().__init__("; ".join(f"{p.field}: {p.message} [{p.code}]" for p in problems[:3]))


@dataclass(frozen=True)
class StockState:
    """A product's stock as the studio reads it: what is out, when it returns, lead times."""

    off: frozenset[Pair] = frozenset()
    restock: dict[Pair, datetime.date] = field(default_factory=dict)
    lead_days: dict[Pair, int] = field(default_factory=dict)
    product_lead_days: int = 0
    token: str = ""  # the same for the same stock: answers kept for one are kept for both

    def delivery_days(self, chosen: Iterable[Pair]) -> int:
        """The product's own days plus the slowest chosen value's lead time."""
        slowest = max((self.lead_days.get(pair, 0) for pair in chosen), default=0)
        return self.product_lead_days + slowest


NO_STOCK = StockState()

_states: dict[int, tuple[float, StockState]] = {}
_states_lock = threading.Lock()


def stock_state(*, product_id: int, fresh: bool = False) -> StockState:
    """The product's stock, read at most every ``CATALOG_STOCK_SECONDS`` in this process
    (``fresh``: now). One query (two with the product's own lead time) when read."""
    now = time.monotonic()
    seconds = getattr(settings, "CATALOG_STOCK_SECONDS", 5)
    if not fresh:
        found = _states.get(product_id)
        if found is not None and now - found[0] < seconds:
            return found[1]
    rows = ValueStock.objects.filter(product_id=product_id).values_list(
        "group_code", "value_code", "quantity", "lead_time_days", "restock_date"
    )
    off, restock, lead = set(), {}, {}
    for group, value, quantity, days, date in rows:
        pair = (group, value)
        if quantity is not None and quantity <= 0:
            off.add(pair)
            if date is not None:
                restock[pair] = date
        if days:
            lead[pair] = days
    product_days = (
        Product.objects.filter(pk=product_id).values_list("lead_time_days", flat=True).first()
    )
    token = repr((sorted(off), sorted(restock.items()), sorted(lead.items()), product_days))
    state = StockState(frozenset(off), restock, lead, product_days or 0, token)
    if not off and not lead and not product_days:
        state = NO_STOCK
    with _states_lock:
        _states[product_id] = (now, state)
        if len(_states) > 10_000:
            _states.clear()
    return state


def stock_forget(**kwargs: Any) -> None:
    """Read stock again next time (a signal receiver: a row or a product saved or deleted;
    the order services call it after taking or giving back stock)."""
    with _states_lock:
        _states.clear()


# Writes: one value from the admin or the API, many from a file.


@dataclass(frozen=True)
class StockInput:
    sku: str
    group: str
    value: str
    quantity: int | None
    lead_time_days: int
    restock_date: datetime.date | None
    where: str = ""  # "line 3" in a file


def stock_input_check(item: StockInput) -> list[StockProblem]:
    """What is wrong with ``item``'s numbers and date (its product and value aside)."""
    problems = []
    if item.quantity is not None and not 0 <= item.quantity <= STOCK_MAX:
        problems.append(
            StockProblem(
                StockCode.BAD_QUANTITY,
                f"The quantity must be between 0 and {STOCK_MAX}, or empty (not counted).",
                item.where or "quantity",
            )
        )
    if not 0 <= item.lead_time_days <= LEAD_TIME_MAX_DAYS:
        problems.append(
            StockProblem(
                StockCode.BAD_LEAD_TIME,
                f"The lead time must be between 0 and {LEAD_TIME_MAX_DAYS} days.",
                item.where or "lead_time_days",
            )
        )
    return problems


def _known_values(skus: Iterable[str]) -> tuple[dict[str, Product], set[tuple[str, str, str]]]:
    products = {p.sku: p for p in Product.objects.filter(sku__in=set(skus))}
    known = set(
        OptionValue.objects.filter(
            group__version__product__in=products.values(),
            group__kind__in=[GroupKind.CHOICE, GroupKind.MULTI],
        ).values_list("group__version__product__sku", "group__code", "code")
    )
    return products, known


def stock_import(*, items: list[StockInput], problems: Iterable[StockProblem] = ()) -> int:
    """Set the stock of every item, all or nothing; returns how many rows were written.

    Raises :class:`StockRefused` listing every problem (unknown product ``stock.E001``, a
    value no version of the product has ``stock.E002``, numbers out of range, the same value
    twice ``stock.E008``), with ``problems`` found before (a file's unreadable lines), in
    line order; nothing is written then.
    """
    problems = [*problems, *(p for item in items for p in stock_input_check(item))]
    products, known = _known_values(item.sku for item in items)
    seen: set[tuple[str, str, str]] = set()
    for item in items:
        key = (item.sku, item.group, item.value)
        if item.sku not in products:
            problems.append(
                StockProblem(
                    StockCode.UNKNOWN_PRODUCT, f"No product “{item.sku}”.", item.where or "sku"
                )
            )
        elif key not in known:
            problems.append(
                StockProblem(
                    StockCode.UNKNOWN_VALUE,
                    f"{item.sku} has no value “{item.value}” in a group “{item.group}”.",
                    item.where or "value",
                )
            )
        if key in seen:
            problems.append(
                StockProblem(
                    StockCode.REPEATED,
                    f"“{item.group}:{item.value}” of {item.sku} comes twice.",
                    item.where or "value",
                )
            )
        seen.add(key)
    if problems:
        problems.sort(key=_line_order)
        raise StockRefused(problems[:ERRORS_LISTED], len(problems))
    with transaction.atomic():
        for item in items:
            ValueStock.objects.update_or_create(
                product=products[item.sku],
                group_code=item.group,
                value_code=item.value,
                defaults={
                    "quantity": item.quantity,
                    "lead_time_days": item.lead_time_days,
                    "restock_date": item.restock_date,
                },
            )
        transaction.on_commit(stock_forget)
    return len(items)


def _line_order(problem: StockProblem) -> tuple[int, str]:
    number = problem.field.rsplit(" ", 1)[-1].rsplit(".", 1)[-1]
    return (int(number) if number.isdigit() else 0, problem.field)


def stock_rows_read(data: bytes) -> tuple[list[StockInput], list[StockProblem]]:
    """The stock file's rows (``docs/stock.md``): UTF-8 CSV (a BOM is fine) with a header of
    ``sku, group, value, quantity`` and optionally ``lead_time_days, restock_date``
    (YYYY-MM-DD). Returns the good rows and the problems of the bad ones, lines numbered
    from 1 (the header); raises :class:`StockRefused` for the file itself (too large,
    unreadable, missing columns, too many lines)."""
    if len(data) > STOCK_CSV_MAX_BYTES:
        raise StockRefused(
            [
                StockProblem(
                    StockCode.TOO_LARGE,
                    f"The file is larger than {STOCK_CSV_MAX_BYTES // 2**20} MB; split it.",
                    "file",
                )
            ]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        logger.info("stock file: not UTF-8 (%s)", error)
        raise StockRefused(
            [StockProblem(StockCode.UNREADABLE, "The file is not UTF-8 text.", "file")]
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in STOCK_CSV_COLUMNS[:4] if name not in header]
    if missing:
        raise StockRefused(
            [
                StockProblem(
                    StockCode.MISSING_COLUMNS,
                    f"Missing columns: {', '.join(missing)}.",
                    "line 1",
                )
            ]
        )
    reader.fieldnames = header
    items, problems = [], []
    for number, row in _numbered(reader):
        if number > STOCK_CSV_MAX_LINES + 1:
            raise StockRefused(
                [
                    StockProblem(
                        StockCode.TOO_LARGE,
                        f"The file has more than {STOCK_CSV_MAX_LINES} lines; split it.",
                        f"line {number}",
                    )
                ]
            )
        item, problem = _row(row, f"line {number}")
        if problem is not None:
            problems.append(problem)
        elif item is not None:
            items.append(item)
    return items, problems


def _numbered(reader: csv.DictReader) -> Iterator[tuple[int, dict[str, Any]]]:
    for row in reader:
        yield reader.line_num, row


def _row(row: dict[str, Any], where: str) -> tuple[StockInput | None, StockProblem | None]:
    def cell(name: str) -> str:
        value = row.get(name)
        return value.strip() if isinstance(value, str) else ""

    if not any(cell(name) for name in STOCK_CSV_COLUMNS):
        return None, None  # a blank line
    quantity_text = cell("quantity")
    try:
        quantity = int(quantity_text) if quantity_text else None
    except ValueError:
        return None, StockProblem(
            StockCode.BAD_QUANTITY,
            f"The quantity “{quantity_text[:20]}” is not a whole number.",
            where,
        )
    days_text = cell("lead_time_days")
    try:
        days = int(days_text) if days_text else 0
    except ValueError:
        return None, StockProblem(
            StockCode.BAD_LEAD_TIME, f"The lead time “{days_text[:20]}” is not a number.", where
        )
    date_text = cell("restock_date")
    try:
        date = datetime.date.fromisoformat(date_text) if date_text else None
    except ValueError:
        return None, StockProblem(
            StockCode.BAD_DATE, f"The date “{date_text[:20]}” is not YYYY-MM-DD.", where
        )
    item = StockInput(cell("sku"), cell("group"), cell("value"), quantity, days, date, where)
    problems = stock_input_check(item)
    return (None, problems[0]) if problems else (item, None)
