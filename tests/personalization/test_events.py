"""Reading the purchase-events format from files, uploads and request bodies (no database)."""

from __future__ import annotations

import gzip
import io

import pytest

from configurator.personalization.events import (
    BadFile,
    BadLine,
    EventLine,
    events_text,
    read_events,
    read_rows,
)

TEXT = (
    "customer,timestamp,order,product,sku,option:color\n"
    "a,2026-01-01T10:00:00Z,1,TOTE,T1,navy\n"
    "b,2026-01-02T10:00:00,2,TOTE,T1,\n"
)


def _values(items):
    return [
        (i.line, i.purchase.customer, i.purchase.timestamp.isoformat(), dict(i.purchase.options))
        for i in items
    ]


def test_gzip_and_a_byte_order_mark_are_read_whatever_the_name():
    plain = list(read_events(events_text(io.BytesIO(TEXT.encode()))))
    zipped = list(read_events(events_text(io.BytesIO(gzip.compress(TEXT.encode())))))
    bom = list(read_events(events_text(io.BytesIO(b"\xef\xbb\xbf" + TEXT.encode()))))
    expected = [
        (2, "a", "2026-01-01T10:00:00+00:00", {"color": "navy"}),
        (3, "b", "2026-01-02T10:00:00+00:00", {}),
    ]
    assert _values(plain) == _values(zipped) == _values(bom) == expected


def test_cells_wider_than_their_columns_are_bad_lines():
    text = f"customer,timestamp,order,product,currency\n{'c' * 101},2026-01-01,1,P,VNDX\n"
    assert list(read_events(io.StringIO(text))) == [
        BadLine(2, "events.E006", "too long: customer (at most 100), currency (at most 3)")
    ]


def test_a_file_that_is_not_utf8_is_refused_as_a_whole():
    raw = TEXT.encode() + "c,2026-01-03,3,TOTE,T1,đỏ\n".encode("utf-16")
    with pytest.raises(BadFile) as refused:
        list(read_events(events_text(io.BytesIO(raw))))
    assert refused.value.code == "events.E005"
    assert "not UTF-8 text" in refused.value.message


def test_a_broken_gzip_stream_is_refused_as_a_whole():
    raw = gzip.compress(TEXT.encode())[:-12]
    with pytest.raises(BadFile) as refused:
        list(read_events(events_text(io.BytesIO(raw))))
    assert refused.value.code == "events.E005"


def test_missing_columns_refuse_the_file_at_line_1():
    with pytest.raises(BadFile) as refused:
        list(read_events(io.StringIO("customer,order\nx,1\n")))
    assert (refused.value.code, refused.value.message) == (
        "events.E004",
        "line 1: missing column(s): timestamp, product",
    )


def test_rows_from_json_objects_use_the_same_rules():
    rows = [
        (0, {"customer": "a", "timestamp": "2026-01-01", "order": "1", "product": "P"}),
        (1, {"customer": "a", "timestamp": None, "order": "1", "product": "P"}),
        (
            2,
            {
                "customer": "a",
                "timestamp": "2026-01-01",
                "order": "2",
                "product": "P",
                "quantity": "2",
                "option:size": "M",
            },
        ),
    ]
    fields = ["customer", "timestamp", "order", "product", "quantity", "option:size"]
    items = list(read_rows(rows, fields))
    assert isinstance(items[0], EventLine) and isinstance(items[2], EventLine)
    assert items[1] == BadLine(1, "events.E001", "missing timestamp")
    assert (items[2].quantity, dict(items[2].purchase.options)) == (2, {"size": "M"})


def test_nul_characters_and_overlong_option_values_are_bad_lines():
    text = (
        "customer,timestamp,order,product,option:color,option:\n"
        f"a,2026-01-01,1,P,{'x' * 201},ignored\n"
        "a,2026-01-01,2,P\x00,navy,\n"
    )
    rows = [
        (n, dict(zip(text.splitlines()[0].split(","), line.split(","), strict=True)))
        for n, line in enumerate(text.splitlines()[1:], start=2)
    ]
    items = list(read_rows(rows, text.splitlines()[0].split(",")))
    assert items == [
        BadLine(2, "events.E006", "too long: option:color (at most 200)"),
        BadLine(3, "events.E007", "a cell holds a NUL character"),
    ]


def test_overlong_option_group_names_refuse_the_file():
    with pytest.raises(BadFile) as refused:
        list(read_events(io.StringIO(f"customer,timestamp,order,product,option:{'g' * 101}\n")))
    assert refused.value.code == "events.E004"


def test_times_are_read_in_utc_and_the_last_day_with_an_offset_is_a_bad_line():
    text = (
        "customer,timestamp,order,product\n"
        "a,2026-01-01T10:00:00+07:00,1,P\n"
        "a,9999-12-31T23:00:00-05:00,2,P\n"
    )
    items = list(read_events(io.StringIO(text)))
    assert items[0].purchase.timestamp.isoformat() == "2026-01-01T03:00:00+00:00"
    assert items[1] == BadLine(3, "events.E002", "unreadable time “9999-12-31T23:00:00-05:00”")
