"""Reading purchase-events CSV files (../shared/formats/purchase-events.md), line by line."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from .model import Purchase

REQUIRED = ("customer", "timestamp", "order", "product")


@dataclass(frozen=True)
class EventLine:
    line: int
    purchase: Purchase
    channel: str
    sku: str
    quantity: int | None
    price: str
    currency: str


@dataclass(frozen=True)
class BadLine:
    line: int
    code: str
    message: str


class BadFile(ValueError):
    pass


def open_events(path: str | Path) -> IO[str]:
    path = Path(path)
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def parse_time(raw: str) -> datetime:
    value = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def read_events(handle: IO[str]) -> Iterator[EventLine | BadLine]:
    """Every data line as an :class:`EventLine`, or a :class:`BadLine` with its number."""
    reader = csv.DictReader(handle)
    fields = reader.fieldnames or []
    missing = [name for name in REQUIRED if name not in fields]
    if missing:
        raise BadFile(f"line 1: missing column(s): {', '.join(missing)}")
    groups = [name[len("option:") :] for name in fields if name.startswith("option:")]
    for row in reader:
        line = reader.line_num
        empty = [name for name in REQUIRED if not (row.get(name) or "").strip()]
        if empty:
            yield BadLine(line, "events.E001", f"missing {', '.join(empty)}")
            continue
        try:
            when = parse_time(row["timestamp"])
        except ValueError:
            yield BadLine(line, "events.E002", f"unreadable time “{row['timestamp']}”")
            continue
        quantity_raw = (row.get("quantity") or "").strip()
        try:
            quantity = int(quantity_raw) if quantity_raw else None
        except ValueError:
            yield BadLine(line, "events.E003", f"quantity “{quantity_raw}” is not a number")
            continue
        options = {
            g: row[f"option:{g}"].strip() for g in groups if (row.get(f"option:{g}") or "").strip()
        }
        yield EventLine(
            line=line,
            purchase=Purchase(
                customer=row["customer"].strip(),
                timestamp=when,
                order=row["order"].strip(),
                product=row["product"].strip(),
                options=options,
            ),
            channel=(row.get("channel") or "").strip() or "import",
            sku=(row.get("sku") or "").strip(),
            quantity=quantity,
            price=(row.get("price") or "").strip(),
            currency=(row.get("currency") or "").strip(),
        )
