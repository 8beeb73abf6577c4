"""The demo products' option-set/1 files: filled in at run time, imported and published."""

from __future__ import annotations

import json
from typing import Any

import pytest

from catalog.demo.loader import PRODUCTS, documents
from catalog.models import VersionStatus
from catalog.selectors import option_set_document
from catalog.services import option_set_import
from tests.fixtures.documents import NOW

FONT = "demo/fonts/DejaVuSans_k3Xw9.ttf"
FONTS = {
    "DejaVuSans": FONT,
    "DejaVuSans-Bold": "demo/fonts/DejaVuSans-Bold_k3Xw9.ttf",
    "DejaVuSerif": "demo/fonts/DejaVuSerif_k3Xw9.ttf",
}


class ArtPaths(dict[str, str]):
    """Storage paths as draw_all returns them, for any picture a document names."""

    def __missing__(self, name: str) -> str:
        return f"demo/{name}_k3Xw9.png"


def test_demo_documents_come_in_publishing_order_with_art_and_font_filled_in() -> None:
    loaded = documents(ArtPaths(), FONTS)

    assert [document["product"]["sku"] for document in loaded] == list(PRODUCTS)
    sneaker_layers = loaded[0]["extensions"]["preview_layers"]
    assert sneaker_layers[0] == {"kind": "base", "image": "demo/sneaker/base_k3Xw9.png"}
    assert sneaker_layers[-1]["font"] == FONT
    assert loaded[2]["groups"][2]["values"][1]["extensions"] == {
        "image": "demo/thumb/mug-floral_k3Xw9.png"
    }


def test_demo_documents_keep_no_placeholder() -> None:
    text = json.dumps(documents(ArtPaths(), FONTS), ensure_ascii=False)

    assert "{art:" not in text
    assert "{font" not in text
    # A text layer per product (the banner too), the tote's back, the tote's "Chữ đứng", the
    # sneaker's regular lettering.
    assert text.count(FONT) == 7
    assert text.count(FONTS["DejaVuSerif"]) == 1  # the tote's "Chữ có chân"
    assert text.count(FONTS["DejaVuSans-Bold"]) == 2  # the tote's "Chữ đậm", the sneaker's bold


@pytest.mark.django_db
def test_demo_documents_import_publish_and_export_unchanged() -> None:
    loaded: list[dict[str, Any]] = documents(ArtPaths(), FONTS)

    versions = [option_set_import(document=document, publish=True, now=NOW) for document in loaded]

    assert [version.status for version in versions] == [VersionStatus.PUBLISHED] * 4
    assert [option_set_document(version=version) for version in versions] == loaded
