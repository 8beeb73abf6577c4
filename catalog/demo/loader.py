"""The demo shop's products: option-set/1 files, with what is drawn at run time filled in.

Each file in ``products/`` is a document as an export writes it, read through the importer's
reader (:func:`catalog.services.option_set_read`), except for two kinds of placeholder: a
picture is ``"{art:NAME}"``, NAME being a key of what :func:`catalog.demo.art.draw_all`
returns, and a font is ``"{font}"`` (DejaVu Sans) or ``"{font:NAME}"``, NAME being a font
vendored in ``static/fonts`` (``DejaVuSerif``). :func:`documents` replaces them with the
storage paths of this run (``fonts`` maps font names to them); a placeholder naming art that
was not drawn or a font not copied raises ``KeyError``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib.resources import files as package_files
from typing import Any

from catalog.services import option_set_read

PRODUCTS = ("SNEAKER-01", "TOTE-01", "MUG-01", "BANNER-01")
#: The font a ``"{font}"`` placeholder names.
DEFAULT_FONT = "DejaVuSans"
_ART_RE = re.compile(r"^\{art:([^{}]+)\}$")
_FONT_RE = re.compile(r"^\{font(?::([A-Za-z0-9-]+))?\}$")


def documents(files: dict[str, str], fonts: Mapping[str, str]) -> list[dict[str, Any]]:
    """The demo products' documents, in publishing order, with art and fonts filled in."""
    return [demo_document(sku, files=files, fonts=fonts) for sku in PRODUCTS]


def demo_document(sku: str, *, files: dict[str, str], fonts: Mapping[str, str]) -> dict[str, Any]:
    """The document of ``products/<sku>.json`` with its placeholders filled in."""
    raw = (package_files("catalog.demo") / "products" / f"{sku}.json").read_bytes()
    document: dict[str, Any] = _fill(option_set_read(raw=raw), files, fonts)
    return document


def _fill(node: Any, files: dict[str, str], fonts: Mapping[str, str]) -> Any:
    if isinstance(node, dict):
        return {key: _fill(item, files, fonts) for key, item in node.items()}
    if isinstance(node, list):
        return [_fill(item, files, fonts) for item in node]
    if isinstance(node, str) and (match := _FONT_RE.match(node)):
        return fonts[match.group(1) or DEFAULT_FONT]
    if isinstance(node, str) and (match := _ART_RE.match(node)):
        return files[match.group(1)]
    return node
