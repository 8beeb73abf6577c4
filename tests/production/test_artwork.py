"""Print artwork and production sheets, read back from the files a package is made of.

Everything goes through ``package_build`` (the files it writes), never the drawing helpers,
so these tests hold whichever module draws the artwork. Sizes are exact: a print area of
W × H mm at D DPI is ``round(W / 25.4 × D)`` × ``round(H / 25.4 × D)`` pixels.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from catalog.services import option_set_import
from configurator.compilation.selectors import engine_cache, engine_for_version
from configurator.designs.services import upload_create
from configurator.designs.shoppers import Shopper
from configurator.orders.services import Shipping, cart_line_add, order_place
from configurator.production.package import package_build
from configurator.production.services import order_exports_create
from configurator.storage import private_storage

pytestmark = pytest.mark.django_db

SHIPPING = Shipping("Lê Văn Tám", "tam@example.vn", "0903 000 111", "1 Trần Phú", "Đà Nẵng")
RED, WHITE = (220, 20, 20), (255, 255, 255)

# Text: 70 × 15 mm at 300 DPI; photo: 200 × 150 mm at 150 DPI.
TEXT_PX = (827, 177)  # 826.77…, 177.17…
PHOTO_PX = (1181, 886)  # 1181.10…, 885.83…

PRINT_DOC: dict[str, Any] = {
    "format": "option-set/1",
    "product": {
        "sku": "PRINT-01",
        "name": {"vi": "Túi in thử", "en": "Print test bag"},
        "base_price": "100000",
        "currency": "VND",
    },
    "groups": [
        {
            "code": "material",
            "name": {"vi": "Chất liệu", "en": "Material"},
            "kind": "choice",
            "step": 1,
            "values": [
                {
                    "code": "canvas",
                    "name": {"vi": "Vải bố", "en": "Canvas"},
                    "production_code": "M-CNV-77",
                    "default": True,
                },
                {"code": "linen", "name": {"vi": "Vải lanh", "en": "Linen"}},
            ],
        },
        {
            "code": "color",
            "name": {"vi": "Màu", "en": "Colour"},
            "kind": "choice",
            "step": 2,
            "values": [
                {
                    "code": "olive",
                    "name": {"vi": "Ô liu", "en": "Olive"},
                    "production_code": "C-OLV-42",
                    "default": True,
                },
            ],
        },
        {
            "code": "name",
            "name": {"vi": "Chữ in", "en": "Printed text"},
            "kind": "text",
            "step": 3,
            "required": False,
            "max_length": 20,
        },
        {
            "code": "photo",
            "name": {"vi": "Ảnh in", "en": "Photo print"},
            "kind": "image",
            "step": 3,
            "required": False,
            "formats": ["png"],
        },
    ],
    "extensions": {
        "preview_layers": [
            {
                "kind": "text",
                "group": "name",
                "text_color": "#000000",
                "width": 500,
                "height": 70,
                "print_width_mm": 70,
                "print_height_mm": 15,
            },
            {
                "kind": "artwork",
                "group": "photo",
                "width": 400,
                "height": 300,
                "print_width_mm": 200,
                "print_height_mm": 150,
                "print_dpi": 150,
            },
        ]
    },
}


@pytest.fixture
def version(django_capture_on_commit_callbacks):
    engine_cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        return option_set_import(document=PRINT_DOC, publish=True)


def quadrant_picture() -> bytes:
    """300 × 300, white, with a red top-left quadrant."""
    picture = Image.new("RGB", (300, 300), WHITE)
    picture.paste(RED, (0, 0, 150, 150))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def package(version, selection: dict[str, Any], key: str, picture: bytes | None = None):
    """Place an order of one line and build its package; returns (order, files by name)."""
    shopper = Shopper(None, f"artwork-{key}")
    selection = {"material": "canvas", "color": "olive", **selection}
    if picture is not None:
        selection["photo"] = str(upload_create(shopper=shopper, data=picture).pk)
    cart_line_add(
        shopper=shopper,
        version=version,
        engine=engine_for_version(version_id=version.pk),
        selection=selection,
    )
    order, _ = order_place(
        shopper=shopper, shipping=SHIPPING, provider="manual", idempotency_key=key
    )
    [export] = order_exports_create(order_id=order.pk)
    manifest = package_build(export)
    files = {}
    for entry in manifest["files"]:
        with private_storage().open(f"production/{export.pk}/{entry['name']}", "rb") as handle:
            files[entry["name"]] = handle.read()
    return order, files


def png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def text_png(version, text: str, key: str) -> Image.Image:
    _order, files = package(version, {"name": text}, key)
    return png(files["name.png"])


def test_text_artwork_has_the_print_areas_pixels_and_dpi(version):
    art = text_png(version, "Minh", "t1")
    assert art.size == TEXT_PX
    assert art.mode == "RGBA"
    assert tuple(round(v) for v in art.info["dpi"]) == (300, 300)


def ink_margins(art: Image.Image) -> tuple[int, int, int, int]:
    """Transparent pixels left of, above, right of and below the ink."""
    left, top, right, bottom = art.getchannel("A").getbbox()
    return left, top, art.width - right, art.height - bottom


def test_text_ink_is_centred_inside_the_print_area(version):
    art = text_png(version, "Minh Anh", "t2")
    left, top, right, bottom = ink_margins(art)
    width = TEXT_PX[0]
    # As large as fits: here the width binds.
    assert width - left - right >= 0.85 * width
    # Centred on the ink, to a pixel each way.
    assert abs(top - bottom) <= 1
    assert abs(left - right) <= 1
    # The ink is the text colour, fully opaque where it is solid.
    pixels = np.asarray(art)
    assert np.unique(pixels[pixels[..., 3] == 255][:, :3], axis=0).tolist() == [[0, 0, 0]]


def test_text_ink_is_centred_across_to_a_pixel(version):
    # Fitted on its advances, this name's ink sat 4-5 px (0.4 mm) left of centre: the last
    # letter's right side bearing. The ink is now centred itself.
    left, _top, right, _bottom = ink_margins(text_png(version, "Anh The Ha", "t3"))
    assert abs(left - right) <= 1


def letters_differ(plain: Image.Image, other: Image.Image) -> float:
    """Share of the plain text's ink pixels that differ from ``other``'s, both cropped to
    the plain ink's box and aligned on its bottom-left corner (the baseline: no
    descenders)."""
    p_left, p_top, p_right, p_bottom = plain.getbbox()
    o_left, _o_top, _o_right, o_bottom = other.getbbox()
    height, width = p_bottom - p_top, p_right - p_left
    base = np.asarray(plain.crop((p_left, p_top, p_right, p_bottom)), int)
    same = np.asarray(other.crop((o_left, o_bottom - height, o_left + width, o_bottom)), int)
    return float((np.abs(base - same) > 128).sum() / (base > 128).sum())


def test_vietnamese_marks_are_drawn_above_the_same_letters(version):
    """Vietnamese glyphs, not missing-glyph boxes: the base letters are the same pixels as
    the unaccented text's (same advances, so the same size and places), and the marks stand
    above them."""
    plain = text_png(version, "Anh The Ha", "v1").getchannel("A")
    marked = text_png(version, "Ánh Thế Hà", "v2").getchannel("A")
    boxed = text_png(version, "\uffffnh Th\uffff H\uffff", "v3").getchannel("A")
    p_left, p_top, p_right, p_bottom = plain.getbbox()
    m_left, m_top, m_right, m_bottom = marked.getbbox()
    assert abs((m_right - m_left) - (p_right - p_left)) <= 1  # same glyph widths
    assert (p_bottom - p_top) + 10 <= m_bottom - m_top  # marks above the letters
    assert letters_differ(plain, marked) <= 0.05
    # The check tells a missing glyph: the font's box in place of Á, ế and à fails it.
    assert letters_differ(plain, boxed) >= 0.2


def test_uploaded_picture_is_fitted_and_centred_in_the_print_area(version):
    _order, files = package(version, {}, "p1", picture=quadrant_picture())
    art = png(files["photo.png"])
    assert art.size == PHOTO_PX
    assert tuple(round(v) for v in art.info["dpi"]) == (150, 150)
    # 300 × 300 fitted into 1181 × 886: 886 × 886, from x = (1181 - 886) // 2 = 147.
    side, x0 = 886, 147
    assert art.getchannel("A").getbbox() == (x0, 0, x0 + side, side)
    rgba = art.convert("RGBA")
    quarter, half = side // 4, side // 2
    assert rgba.getpixel((x0 + quarter, quarter)) == (*RED, 255)
    # Either side of the quadrant's corner, beyond the resampling filter's reach (12 px).
    assert rgba.getpixel((x0 + half - 12, half - 12)) == (*RED, 255)
    assert rgba.getpixel((x0 + half + 12, half - 12)) == (*WHITE, 255)
    assert rgba.getpixel((x0 + half - 12, half + 12)) == (*WHITE, 255)
    assert rgba.getpixel((x0 + 3 * quarter, 3 * quarter)) == (*WHITE, 255)
    assert rgba.getpixel((x0 // 2, half))[3] == 0  # transparent margins either side
    assert rgba.getpixel((x0 + side + x0 // 2, half))[3] == 0


def test_artwork_pdfs_are_one_page_of_the_print_areas_size(version):
    _order, files = package(version, {"name": "Minh"}, "d1", picture=quadrant_picture())
    for name, (width_mm, height_mm), (width_px, height_px), dpi in [
        ("name.pdf", (70, 15), TEXT_PX, 300),
        ("photo.pdf", (200, 150), PHOTO_PX, 150),
    ]:
        reader = PdfReader(io.BytesIO(files[name]))
        assert len(reader.pages) == 1
        box = reader.pages[0].mediabox
        # The page is the artwork's pixels at its DPI: the print area to within a pixel.
        assert float(box.width) == pytest.approx(width_px / dpi * 72, abs=0.01)
        assert float(box.height) == pytest.approx(height_px / dpi * 72, abs=0.01)
        assert float(box.width) == pytest.approx(width_mm / 25.4 * 72, abs=72 / dpi)
        assert float(box.height) == pytest.approx(height_mm / 25.4 * 72, abs=72 / dpi)


def test_production_sheet_is_one_page_naming_the_order_and_every_code(version):
    order, files = package(version, {"name": "Ngọc Ánh"}, "s1", picture=quadrant_picture())
    reader = PdfReader(io.BytesIO(files["sheet.pdf"]))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert order.number in text
    for code in ("M-CNV-77", "C-OLV-42"):
        assert code in text
    assert "Ngọc Ánh" in text
    assert sorted(files) == [
        "manifest.csv",
        "name.pdf",
        "name.png",
        "photo.pdf",
        "photo.png",
        "sheet.pdf",
    ]


def test_the_orders_picture_and_the_package_live_in_the_private_storage(version, settings):
    order, _files = package(version, {"name": "Minh"}, "priv", picture=quadrant_picture())
    [line] = order.lines.all()
    [copied] = line.files
    private, public = Path(settings.PRIVATE_MEDIA_ROOT), Path(settings.MEDIA_ROOT)
    assert copied["path"] == f"orders/{order.number}/1-photo.png"
    assert (private / copied["path"]).is_file()
    [export] = order.exports.all()
    assert sorted(p.name for p in (private / "production" / str(export.pk)).iterdir()) == [
        "manifest.csv",
        "manifest.json",
        "name.pdf",
        "name.png",
        "photo.pdf",
        "photo.png",
        "sheet.pdf",
    ]
    assert not (public / "orders").exists()
    assert not (public / "production").exists()
    assert public not in private.parents


def test_a_placed_picture_is_printed_where_the_shopper_put_it(version):
    placement = {"x": 0.25, "y": 0.5, "scale": 0.5, "rotation": 0}
    order, files = package(
        version, {"@placement": {"photo": placement}}, "placed", picture=quadrant_picture()
    )
    art = png(files["photo.png"])
    assert art.size == PHOTO_PX
    # 300 × 300 fits 886 × 886; half of it (443 × 443) centred at (295.25, 443).
    assert art.getchannel("A").getbbox() == (74, 222, 517, 665)
    assert art.getpixel((100, 250))[:3] == RED  # the red quadrant, top left of the picture
    line = order.lines.get()
    [choice] = [c for c in line.choices if c["group"] == "photo"]
    assert choice["placement"] == placement
    sheet = PdfReader(io.BytesIO(files["sheet.pdf"])).pages[0].extract_text()
    assert "ngang 25%, dọc 50%, cỡ 50%, xoay 0°" in sheet


def test_placed_text_is_printed_smaller_and_to_the_right(version):
    centred = text_png(version, "Minh", "t-centre")
    _order, files = package(
        version,
        {
            "name": "Minh",
            "@placement": {"name": {"x": 0.75, "y": 0.5, "scale": 0.5, "rotation": 0}},
        },
        "t-placed",
    )
    placed = png(files["name.png"])
    left, top, right, bottom = placed.getchannel("A").getbbox()
    _c_left, c_top, _c_right, c_bottom = centred.getchannel("A").getbbox()
    assert (bottom - top) < (c_bottom - c_top) * 0.6  # half the box: about half the height
    assert abs((left + right) / 2 - 0.75 * TEXT_PX[0]) <= 3  # its ink centred at 3/4 across
