"""Reading purchase-events CSV files (../shared/formats/purchase-events.md), line by line."""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, BinaryIO

from .model import Purchase

REQUIRED = ("customer", "timestamp", "order", "product")
# The widths of PurchaseEvent's (and Customer.external_id's) columns: a longer cell is a bad
# line, not a database error halfway through an import.
MAX_LENGTHS = {
    "customer": 100,
    "order": 100,
    "product": 200,
    "channel": 30,
    "sku": 100,
    "price": 30,
    "currency": 3,
}
OPTION_GROUP_LENGTH = 100  # ProductValueStat.group
OPTION_VALUE_LENGTH = 200  # ProductValueStat.value


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
    """The whole file is refused: ``events.E004`` required columns missing, ``events.E005``
    not readable (not UTF-8 text, a broken CSV or gzip stream)."""

    def __init__(self, message: str, code: str = "events.E004") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


GZIP_MAGIC = b"\x1f\x8b"


def open_events(path: str | Path) -> IO[str]:
    path = Path(path)
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def events_text(raw: BinaryIO) -> IO[str]:
    """The text of an uploaded or posted file, gunzipped when it starts as gzip does
    (whatever its name says); a byte-order mark is dropped."""
    start = raw.read(2)
    raw.seek(0)
    stream: BinaryIO = raw
    if start == GZIP_MAGIC:
        stream = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
    return io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")


def parse_time(raw: str) -> datetime:
    """The time in UTC (UTC when it has no offset): one zone, so stored times and the
    profile's ISO stamps compare in time order."""
    value = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    try:
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    except OverflowError as exc:  # 9999-12-31T23:00-05:00 is past the last datetime
        raise ValueError(raw) from exc


def read_events(handle: IO[str]) -> Iterator[EventLine | BadLine]:
    """Every data line of a CSV file as an :class:`EventLine`, or a :class:`BadLine` with
    its number; raises :class:`BadFile` when the file as a whole cannot be read."""
    reader = csv.DictReader(handle)
    try:
        fields = reader.fieldnames or []
        missing = [name for name in REQUIRED if name not in fields]
        if missing:
            raise BadFile(f"line 1: missing column(s): {', '.join(missing)}")
        yield from read_rows(((reader.line_num, row) for row in reader), fields)
    except (UnicodeDecodeError, csv.Error, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        reason = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else str(exc)
        raise BadFile(
            f"line {max(1, reader.line_num)}: unreadable file ({reason})", "events.E005"
        ) from exc


def read_rows(
    rows: Iterable[tuple[int, Mapping[str, str | None]]], fields: Sequence[str]
) -> Iterator[EventLine | BadLine]:
    """Each numbered row (column -> cell) as an :class:`EventLine` or a :class:`BadLine`;
    ``fields`` names the columns, so the ``option:<group>`` ones."""
    groups = [name[len("option:") :] for name in fields if name.startswith("option:")]
    groups = [g for g in groups if g]  # a bare "option:" column names no group: ignored
    wrong = [g for g in groups if len(g) > OPTION_GROUP_LENGTH or "\x00" in g]
    if wrong:
        raise BadFile(
            f"line 1: option group name(s) longer than {OPTION_GROUP_LENGTH} or with NUL: "
            + ", ".join(f"option:{g[:20]}" for g in wrong),
            "events.E004",
        )
    for line, row in rows:
        empty = [name for name in REQUIRED if not (row.get(name) or "").strip()]
        if empty:
            yield BadLine(line, "events.E001", f"missing {', '.join(empty)}")
            continue
        try:
            when = parse_time(row["timestamp"] or "")
        except ValueError:
            yield BadLine(line, "events.E002", f"unreadable time “{row['timestamp']}”")
            continue
        if any("\x00" in (cell or "") for cell in row.values()):
            yield BadLine(line, "events.E007", "a cell holds a NUL character")
            continue
        too_long = [
            f"{name} (at most {limit})"
            for name, limit in MAX_LENGTHS.items()
            if len((row.get(name) or "").strip()) > limit
        ] + [
            f"option:{g} (at most {OPTION_VALUE_LENGTH})"
            for g in groups
            if len((row.get(f"option:{g}") or "").strip()) > OPTION_VALUE_LENGTH
        ]
        if too_long:
            yield BadLine(line, "events.E006", f"too long: {', '.join(too_long)}")
            continue
        quantity_raw = (row.get("quantity") or "").strip()
        try:
            quantity = int(quantity_raw) if quantity_raw else None
        except ValueError:
            yield BadLine(line, "events.E003", f"quantity “{quantity_raw}” is not a number")
            continue
        options = {
            g: (row.get(f"option:{g}") or "").strip()
            for g in groups
            if (row.get(f"option:{g}") or "").strip()
        }
        yield EventLine(
            line=line,
            purchase=Purchase(
                customer=(row["customer"] or "").strip(),
                timestamp=when,
                order=(row["order"] or "").strip(),
                product=(row["product"] or "").strip(),
                options=options,
            ),
            channel=(row.get("channel") or "").strip() or "import",
            sku=(row.get("sku") or "").strip(),
            quantity=quantity,
            price=(row.get("price") or "").strip(),
            currency=(row.get("currency") or "").strip(),
        )
