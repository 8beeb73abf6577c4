"""Small option-set/1 documents the engine tests build on."""

from __future__ import annotations

from typing import Any


def choice(code: str, values: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": code,
        "kind": "choice",
        "values": [{"code": v, "name": v} for v in values],
        **extra,
    }


def document(groups: list[dict], rules: list[dict] | None = None, **product: Any) -> dict:
    return {
        "format": "option-set/1",
        "product": {
            "sku": "SHOE-1",
            "name": {"en": "Sneaker", "vi": "Giày"},
            "base_price": "1000000",
            "currency": "VND",
            **product,
        },
        "groups": groups,
        "rules": rules or [],
    }


SUEDE = {
    "kind": "allowed",
    "id": "suede-colours",
    "message": {
        "en": "Suede comes only in Black, Brown or Sand",
        "vi": "Da lộn chỉ có màu Đen, Nâu hoặc Cát",
    },
    "groups": ["material", "color"],
    "rows": [["suede", "black"], ["suede", "brown"], ["suede", "sand"], ["canvas", "*"]],
}
SHOE = document(
    [
        choice("material", ["canvas", "suede"]),
        choice("color", ["black", "brown", "sand", "navy", "red"]),
        choice("lace", ["white", "black"], required=False),
    ],
    [SUEDE],
)
