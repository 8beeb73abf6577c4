"""``manage.py import_stock FILE.csv``: set stock and lead times of products' values.

Columns ``sku, group, value, quantity`` and optionally ``lead_time_days, restock_date``
(``docs/stock.md``). All or nothing: one bad line and nothing is written; every bad line is
listed with its number.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from catalog.stock import STOCK_CSV_MAX_BYTES, StockRefused, stock_import, stock_rows_read


class Command(BaseCommand):
    help = "Set the stock and lead times of products' values from a CSV file (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the stock CSV file (UTF-8, header row).")

    @no_translations  # operators read and grep this output: one language, English
    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            with path.open("rb") as handle:
                raw = handle.read(STOCK_CSV_MAX_BYTES + 1)  # one byte more is enough to refuse
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        try:
            items, problems = stock_rows_read(raw)
            count = stock_import(items=items, problems=problems)
        except StockRefused as refused:
            lines = "\n".join(f"  {p.field}: {p.message} [{p.code}]" for p in refused.problems)
            more = refused.count - len(refused.problems)
            tail = f"\n  … and {more} more." if more > 0 else ""
            raise CommandError(
                f"{path}: nothing was written. {refused.count} problem(s):\n{lines}{tail}"
            ) from refused
        self.stdout.write(f"Stock set for {count} value(s).")
