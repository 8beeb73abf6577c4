"""Option-set documents for the catalog tests, built in code (tests never read ../shared)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from catalog import extensions

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)

RICH_DOCUMENT: dict[str, Any] = {
    "format": "option-set/1",
    "product": {
        "sku": "TOTE-01",
        "name": {"en": "Canvas tote", "vi": "Túi tote vải"},
        "base_price": "350000",
        "currency": "VND",
        "max_visible_values": 8,
        "extensions": {
            "description": {"en": "A sturdy tote.", "vi": "Túi vải bố bền chắc."},
        },
    },
    "groups": [
        {
            "code": "color",
            "name": {"en": "Colour", "vi": "Màu"},
            "kind": "choice",
            "step": 1,
            "help": {"vi": "Chọn màu túi."},
            "values": [
                {
                    "code": "natural",
                    "name": {"en": "Natural", "vi": "Mộc"},
                    "production_code": "C-NAT",
                    "swatch": "#e8dcc2",
                    "attributes": {"color_family": "beige"},
                    "default": True,
                },
                {
                    "code": "navy",
                    "name": {"en": "Navy", "vi": "Xanh đen"},
                    "price_delta": "20000",
                    "swatch": "#1f2a44",
                    "attributes": {"color_family": "blue"},
                },
                {
                    "code": "red",
                    "name": {"vi": "Đỏ"},
                    "price_delta": "-5000",
                    "extensions": {"active": False, "image": "catalog/values/red.png"},
                },
            ],
        },
        {
            "code": "material",
            "name": {"en": "Material", "vi": "Chất liệu"},
            "kind": "choice",
            "step": 1,
            "max_visible_values": 2,
            "values": [
                {"code": "canvas", "name": {"vi": "Vải bố"}, "default": True},
                {"code": "linen", "name": {"vi": "Vải lanh"}, "price_delta": "50000"},
                {"code": "denim", "name": {"vi": "Vải bò"}},
            ],
            "extensions": {"curated_order": True, "erp_id": 42},
        },
        {
            "code": "lining",
            "name": {"vi": "Lót"},
            "kind": "choice",
            "required": False,
            "values": [{"code": "cotton", "name": {"vi": "Lót cotton"}}],
        },
        {
            "code": "extras",
            "name": {"en": "Extras", "vi": "Phụ kiện"},
            "kind": "multi",
            "step": 2,
            "required": False,
            "min": 0,
            "max": 2,
            "values": [
                {"code": "zip", "name": {"vi": "Khoá kéo"}, "price_delta": "30000"},
                {"code": "pocket", "name": {"vi": "Túi trong"}, "price_delta": "15000"},
                {"code": "strap", "name": {"vi": "Dây đeo dài"}},
            ],
        },
        {
            "code": "monogram",
            "name": {"en": "Monogram", "vi": "Chữ thêu"},
            "kind": "text",
            "step": 3,
            "required": False,
            "max_length": 12,
            "pattern": "[A-Za-zÀ-ỹ ]*",
            "price_delta": "40000",
            "price_per_char": "2000",
        },
        {
            "code": "artwork",
            "name": {"en": "Artwork", "vi": "Hình in"},
            "kind": "image",
            "step": 3,
            "required": False,
            "max_bytes": 5000000,
            "min_width": 800,
            "min_height": 800,
            "formats": ["png", "jpeg"],
            "price_delta": "60000",
        },
    ],
    "rules": [
        {
            "kind": "allowed",
            "id": "color-material",
            "message": {"en": "Not made in this colour.", "vi": "Không có màu này."},
            "groups": ["color", "material"],
            "rows": [["natural", "*"], ["navy", "canvas"], ["navy", "denim"], ["red", "linen"]],
        },
        {
            "kind": "forbidden",
            "groups": ["material", "lining"],
            "rows": [["denim", "cotton"], ["linen", None]],
        },
        {
            "kind": "requires",
            "id": "monogram-needs-canvas",
            "message": {"vi": "Chữ thêu chỉ có trên vải bố."},
            "if": {"monogram": ["present"]},
            "then": {"material": ["canvas"]},
            "extensions": {"origin": "erp"},
        },
        {
            "kind": "excludes",
            "if": {"extras": ["strap"]},
            "then": {"artwork": ["present"], "color": ["navy", "red"]},
        },
    ],
    "extensions": {
        "note": "Bộ sưu tập hè",
        "preview_layers": [
            {"kind": "base", "image": "catalog/layers/tote.png"},
            {"kind": "tint", "group": "color", "image": "catalog/layers/tote-mask.png"},
            {
                "kind": "texture",
                "group": "material",
                "value": "linen",
                "image": "catalog/layers/linen.png",
            },
            {
                "kind": "text",
                "group": "monogram",
                "font": "catalog/fonts/BeVietnamPro.ttf",
                "text_color": "#222222",
                "x": 120,
                "y": 300,
                "width": 400,
                "height": 80,
                "print_dpi": 600,
                "print_width_mm": 120,
                "print_height_mm": 24,
            },
            {"kind": "artwork", "group": "artwork", "x": 100, "width": 500, "height": 500},
        ],
    },
}


def rich_document() -> dict[str, Any]:
    """A canonical document with every group kind, every rule kind and every extension."""
    return copy.deepcopy(RICH_DOCUMENT)


def generated_document(
    *, sku: str = "GEN-01", groups: int = 300, tables: int = 200, rows: int = 1000
) -> dict[str, Any]:
    """A canonical document of ``groups`` choice groups (12 values each) and ``tables`` allowed
    tables of ``rows`` rows over 3 to 6 groups; every default satisfies every table."""
    value_codes = [f"v{k}" for k in range(12)]
    document: dict[str, Any] = {
        "format": "option-set/1",
        "product": {
            "sku": sku,
            "name": {"vi": f"Sản phẩm {sku}"},
            "base_price": "1000000",
            "currency": "VND",
        },
        "groups": [
            {
                "code": f"g{i:03d}",
                "name": {"en": f"Group {i}", "vi": f"Nhóm {i}"},
                "kind": "choice",
                "step": i // 10,
                **({"required": False} if i % 7 == 0 else {}),
                "values": [
                    {
                        "code": code,
                        "name": {"vi": f"Giá trị {code}"},
                        **({"price_delta": str(1000 * k)} if k else {"default": True}),
                    }
                    for k, code in enumerate(value_codes)
                ],
            }
            for i in range(groups)
        ],
        "rules": [],
    }
    for t in range(tables):
        arity = 3 + t % 4
        names = [f"g{(t * 5 + j * 11) % groups:03d}" for j in range(arity)]
        table_rows: list[list[str | None]] = [["v0"] * arity]  # the defaults
        for r in range(1, rows):
            table_rows.append(
                [
                    "*" if (r + j) % 9 == 0 else value_codes[(r * (j + 3) + t) % 12]
                    for j in range(arity)
                ]
            )
        document["rules"].append(
            {"kind": "allowed", "id": f"t{t}", "groups": names, "rows": table_rows}
        )
    return document


@pytest.fixture
def rich() -> dict[str, Any]:
    return rich_document()


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[..., Path]:
    """Writes a document (or raw text) to a file and returns its path."""

    def write(content: Any, name: str = "option-set.json") -> Path:
        path = tmp_path / name
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def no_extension_points(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs a test with no analyzer and no publish listener registered."""
    monkeypatch.setattr(extensions, "_analyzers", [])
    monkeypatch.setattr(extensions, "_publish_listeners", [])


@pytest.fixture
def fake_analyzer(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Registers only an analyzer that counts 42 configurations and one dead value; returns
    the ids of the versions it analyzed."""
    seen: list[int] = []

    def analyzer(version: Any) -> extensions.VersionAnalysis:
        seen.append(version.pk)
        return extensions.VersionAnalysis(
            configurations=42,
            dead_values=(("color", "navy"),),
            problems=(
                extensions.Problem(
                    code="engine.W001", message="Looked.", path="$", level="warning"
                ),
            ),
        )

    monkeypatch.setattr(extensions, "_analyzers", [analyzer])
    monkeypatch.setattr(extensions, "_publish_listeners", [])
    return seen
