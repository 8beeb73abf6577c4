"""Reading purchase-events CSV files (docs/purchase-events-format.md), line by line."""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, BinaryIO

from .scoring import Purchase

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
    not readable (not UTF-8 text, a broken CSV or gzip stream), ``events.E008`` larger than
    its limit once inflated, ``events.E009`` more lines than its limit."""

    def __init__(self, message: str, code: str = "events.E004") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


GZIP_MAGIC = b"\x1f\x8b"
MEASURE_CHUNK = 1 << 20


@dataclass(frozen=True)
class EventLimits:
    """How large a file may be once inflated (bytes of text) and how many lines it may have
    (the header included): a few kilobytes of gzip can inflate to gigabytes."""

    inflated_bytes: int
    lines: int


class _Bounded(io.RawIOBase):
    """The bytes of ``inner`` (already inflated), refused with :class:`BadFile` as soon as
    they pass ``limits``; counted as they stream, so nothing is held beyond one read."""

    def __init__(self, inner: BinaryIO, limits: EventLimits, *, owner: bool = True) -> None:
        super().__init__()
        self.inner = inner
        self.owner = owner
        self.limits = limits
        self.size = 0
        self.lines = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.inner.read(len(buffer))
        self.size += len(data)
        self.lines += data.count(b"\n")
        if self.size > self.limits.inflated_bytes:
            raise BadFile(
                f"the file is larger than {self.limits.inflated_bytes} bytes once inflated; "
                "split it into smaller files",
                "events.E008",
            )
        if self.lines > self.limits.lines:
            raise BadFile(
                f"line {self.limits.lines + 1}: the file has more than {self.limits.lines} "
                "lines; split it into smaller files",
                "events.E009",
            )
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if self.owner:
            self.inner.close()
        super().close()


def _inflated(raw: BinaryIO, limits: EventLimits | None, *, owner: bool = True) -> BinaryIO:
    start = raw.read(2)
    raw.seek(0)
    stream: BinaryIO = raw
    if start == GZIP_MAGIC:
        stream = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
    return _bounded(stream, limits, owner=owner)


def _bounded(stream: BinaryIO, limits: EventLimits | None, *, owner: bool = True) -> BinaryIO:
    """``stream`` counted against ``limits``; closing it closes ``stream`` when ``owner``."""
    if limits is None:
        return stream
    return io.BufferedReader(_Bounded(stream, limits, owner=owner))


def open_events(path: str | Path, limits: EventLimits | None = None) -> IO[str]:
    """The text of the file at ``path``, gunzipped when it is gzip (whatever its name says),
    refused past ``limits`` while it is read."""
    with open(path, "rb") as probe:
        compressed = probe.read(2) == GZIP_MAGIC
    stream: BinaryIO = gzip.open(path, "rb") if compressed else open(path, "rb")  # type: ignore[assignment]  # noqa: SIM115
    return io.TextIOWrapper(_bounded(stream, limits), encoding="utf-8-sig", newline="")


def events_text(raw: BinaryIO, limits: EventLimits | None = None) -> IO[str]:
    """The text of an uploaded or posted file, gunzipped when it starts as gzip does
    (whatever its name says); a byte-order mark is dropped. With ``limits``, reading past
    them raises :class:`BadFile` (``events.E008``, ``events.E009``)."""
    return io.TextIOWrapper(_inflated(raw, limits), encoding="utf-8-sig", newline="")


def events_measure(raw: BinaryIO, limits: EventLimits) -> int:
    """The number of lines of ``raw`` (rewound afterwards), read once through ``limits``:
    raises :class:`BadFile` before anything is imported when the file is over a limit or
    not a readable gzip stream."""
    lines = 0
    stream = _inflated(raw, limits, owner=False)
    try:
        while chunk := stream.read(MEASURE_CHUNK):
            lines += chunk.count(b"\n")
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise BadFile(f"unreadable file ({exc})", "events.E005") from exc
    raw.seek(0)
    return lines


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
