"""The demo shop's products: option-set/1 files, with what is drawn at run time filled in.

Each file in ``products/`` is a document as an export writes it, read through the importer's
reader (:func:`catalog.services.option_set_read`), except for two kinds of placeholder: a
picture is ``"{art:NAME}"``, NAME being a key of what :func:`catalog.demo.art.draw_all`
returns, the text layers' font is ``"{font}"`` and its bold cut ``"{font:bold}"`` (a
lettering value's font). :func:`documents` replaces them with the storage paths of this run;
a placeholder naming art that was not drawn raises ``KeyError``.
"""

from __future__ import annotations

import re
from importlib.resources import files as package_files
from typing import Any

from catalog.services import option_set_read

PRODUCTS = ("SNEAKER-01", "TOTE-01", "MUG-01", "BANNER-01")
FONT = "{font}"
BOLD = "{font:bold}"
_ART_RE = re.compile(r"^\{art:([^{}]+)\}$")


def documents(files: dict[str, str], font: str, *, bold: str = "") -> list[dict[str, Any]]:
    """The demo products' documents, in publishing order, with art and fonts filled in
    (``bold``: the bold cut's storage name; the regular one's without it)."""
    return [demo_document(sku, files=files, font=font, bold=bold) for sku in PRODUCTS]


def demo_document(sku: str, *, files: dict[str, str], font: str, bold: str = "") -> dict[str, Any]:
    """The document of ``products/<sku>.json`` with its placeholders filled in."""
    raw = (package_files("catalog.demo") / "products" / f"{sku}.json").read_bytes()
    fonts = {FONT: font, BOLD: bold or font}
    document: dict[str, Any] = _fill(option_set_read(raw=raw), files, fonts)
    return document


def _fill(node: Any, files: dict[str, str], fonts: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {key: _fill(item, files, fonts) for key, item in node.items()}
    if isinstance(node, list):
        return [_fill(item, files, fonts) for item in node]
    if isinstance(node, str) and node in fonts:
        return fonts[node]
    if isinstance(node, str) and (match := _ART_RE.match(node)):
        return files[match.group(1)]
    return node
