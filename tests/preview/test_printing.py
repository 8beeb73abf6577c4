"""Print-ready artwork: exact pixel size and DPI, text and art where they belong."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageCms

from configurator.preview import PreviewError, samples
from configurator.preview.printing import (
    PrintArea,
    compose_print_artwork,
    print_quality,
    render_print_artwork,
)
from tests.fixtures.pictures import decode

MONOGRAM = PrintArea(80, 30, 300)  # 945 × 354 px


def test_print_area_pixels():
    assert MONOGRAM.pixels == (945, 354)
    assert PrintArea(200, 200, 300).pixels == (2362, 2362)
    assert PrintArea(25.4, 12.7, 150).pixels == (150, 75)


def test_text_artwork_is_a_png_at_the_print_size_with_its_dpi():
    data = render_print_artwork(area=MONOGRAM, text="Nguyễn Thị Ánh", colour="#102030")
    image = decode(data)
    assert (image.format, image.mode, image.size) == ("PNG", "RGBA", (945, 354))
    assert tuple(round(d) for d in image.info["dpi"]) == (300, 300)
    profile = ImageCms.ImageCmsProfile(io.BytesIO(image.info["icc_profile"]))
    assert "sRGB" in ImageCms.getProfileDescription(profile)
    assert image.getpixel((0, 0)) == (0, 0, 0, 0)  # transparent around the ink
    left, top, right, bottom = image.getbbox()
    assert left >= 0 and right <= 945 and top >= 0 and bottom <= 354
    assert left < 20 and right > 925  # the name is width-bound: it spans the area
    assert abs(top - (354 - bottom)) <= 1  # centred vertically
    colours = {c[:3] for _, c in image.crop((left, top, right, bottom)).getcolors(1_000_000)}
    assert colours == {(16, 32, 48), (0, 0, 0)}  # the ink colour (alpha carries the edges)


def test_padding_keeps_text_inside_the_safe_zone():
    image = compose_print_artwork(area=MONOGRAM, text="Nguyễn Thị Ánh", padding_mm=5)
    pad = round(5 / 25.4 * 300)  # 59 px
    left, top, right, bottom = image.getbbox()
    assert left >= pad and right <= 945 - pad and top >= pad and bottom <= 354 - pad


def test_a_background_flattens_the_artwork():
    image = compose_print_artwork(area=MONOGRAM, text="A", background="#ffffff")
    assert image.mode == "RGB" and image.getpixel((0, 0)) == (255, 255, 255)


def test_picture_artwork_is_fitted_and_centred_at_print_resolution():
    photo = samples.encoded(samples.photo(1200, 900), "PNG")  # 4:3 into a square area
    area = PrintArea(100, 100, 300)  # 1181 × 1181
    image = decode(render_print_artwork(area=area, art=photo))
    assert image.size == (1181, 1181)
    assert tuple(round(d) for d in image.info["dpi"]) == (300, 300)
    # 1181 × 886 centred: transparent bands of 147 or 148 px above and below.
    assert image.getbbox() == (0, 147, 1181, 1033)
    assert image.getpixel((300, 300))[:3] == (220, 30, 30)  # red quadrant, top left
    assert image.getpixel((900, 900))[:3] == (240, 200, 20)  # yellow quadrant, bottom right
    assert image.getpixel((590, 100)) == (0, 0, 0, 0)


def test_picture_alpha_is_kept():
    logo = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    logo.paste((200, 0, 0, 255), (25, 25, 75, 75))
    image = compose_print_artwork(area=PrintArea(25.4, 25.4, 200), art=logo)
    assert image.size == (200, 200)
    assert image.getpixel((10, 10)) == (0, 0, 0, 0)
    assert image.getpixel((100, 100)) == (200, 0, 0, 255)


def test_bad_requests_report_every_problem():
    with pytest.raises(PreviewError) as refused:
        compose_print_artwork(area=PrintArea(0, 30, 5000), colour="black")
    assert [(p.code, p.path) for p in refused.value.problems] == [
        ("print.E001", "area.width_mm"),
        ("print.E001", "area.dpi"),
        ("print.E002", "text"),
        ("print.E003", "colour"),
    ]
    with pytest.raises(PreviewError) as refused:
        compose_print_artwork(area=MONOGRAM, text="A", art=b"x")
    assert refused.value.codes == ["print.E002"]
    with pytest.raises(PreviewError) as refused:
        compose_print_artwork(area=PrintArea(2000, 2000, 1200))
    assert refused.value.codes == ["print.E001", "print.E002"]


def test_unreadable_art_is_refused():
    with pytest.raises(PreviewError) as refused:
        compose_print_artwork(area=MONOGRAM, art=b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert [(p.code, p.path) for p in refused.value.problems] == [("print.E004", "art")]


@pytest.mark.parametrize(
    ("size", "dpi", "level", "code"),
    [
        ((2400, 1800), 304.8, "ok", ""),
        ((2362, 100), 300.0, "ok", ""),  # a wide strip is limited by its width
        ((1890, 1000), 240.0, "ok", ""),  # 80% of 300 DPI
        ((1800, 1400), 228.6, "low", "print.W001"),
        ((1181, 800), 150.0, "low", "print.W001"),  # 50% of 300 DPI
        ((1000, 750), 127.0, "poor", "print.W002"),
    ],
)
def test_print_quality_levels(size, dpi, level, code):
    quality = print_quality(size, PrintArea(200, 200, 300))
    assert (quality.effective_dpi, quality.level, quality.code) == (dpi, level, code)
    assert bool(quality.message) == (level != "ok")


def test_print_quality_says_what_size_is_needed():
    quality = print_quality((1000, 750), PrintArea(200, 200, 300))
    assert quality.needed == (2362, 1772)
    assert quality.message == (
        "The picture is too small for the print area: about 127 DPI where 300 DPI needs "
        "2362×1772 pixels. It will look blurry."
    )
    assert print_quality((4000, 3000), PrintArea(200, 200, 300)).needed == (4000, 3000)
