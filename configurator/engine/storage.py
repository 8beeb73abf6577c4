"""A compiled engine as bytes, so a web process loads an option set and never compiles it.

The layout (``ENGINE_FORMAT`` 2 in ``configurator.compilation.services``): the magic
``CFGENG2\\0``; the lengths of the document and of the tables, two little-endian uint64; the
option-set/1 document as UTF-8 JSON; the rule tables as one compressed NumPy ``.npz``
(array ``t<rule index>``); then the diagram's own bytes. Plain data, no pickle.
"""

from __future__ import annotations

import io
import json
import struct
from collections.abc import Mapping
from typing import Any

import numpy as np

from .diagram import Diagram
from .spec import OptionSetSpec, option_set_spec

MAGIC = b"CFGENG2\0"


def engine_to_bytes(document: bytes, tables: Mapping[int, np.ndarray], diagram: Diagram) -> bytes:
    """The stored form of an engine: ``document`` is its option set as UTF-8 JSON."""
    buffer = io.BytesIO()
    tables_arrays = {f"t{i}": t for i, t in tables.items()}
    np.savez_compressed(buffer, **tables_arrays)  # type: ignore[arg-type]
    packed_tables = buffer.getvalue()
    return b"".join(
        [
            MAGIC,
            struct.pack("<QQ", len(document), len(packed_tables)),
            document,
            packed_tables,
            diagram.to_bytes(),
        ]
    )


def engine_from_bytes(
    data: bytes,
) -> tuple[dict[str, Any], OptionSetSpec, Diagram, dict[int, np.ndarray]]:
    """The document, spec, diagram and tables stored by :func:`engine_to_bytes`.

    Raises ``ValueError`` when ``data`` is not a compiled option set.
    """
    if not data.startswith(MAGIC):
        raise ValueError("Not a compiled option set.")
    doc_length, tables_length = struct.unpack_from("<QQ", data, len(MAGIC))
    start = len(MAGIC) + 16
    document = json.loads(data[start : start + doc_length].decode())
    start += doc_length
    with np.load(io.BytesIO(data[start : start + tables_length])) as arrays:
        tables = {int(name[1:]): arrays[name] for name in arrays.files}
    spec = option_set_spec(document)
    diagram = Diagram.from_bytes(data[start + tables_length :])
    return document, spec, diagram, tables
