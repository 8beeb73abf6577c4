"""Text in the merchant's font: fitted, centred, Vietnamese diacritics whole, NFD = NFC."""

from __future__ import annotations

import unicodedata

import pytest
from PIL import Image, ImageChops

from configurator.preview import Box, LayerSpec, compose_preview, samples
from configurator.preview.text import (
    DEFAULT_BOLD_FONT,
    DEFAULT_FONT,
    fit_text,
    ink_box,
    load_font,
    missing_glyphs,
    text_mask,
)

NAME = "Nguyễn Thị Ánh"
BOX = samples.TEXT_BOX  # 320, 640, 384 × 112
VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"


def painted(text, box=BOX, font=None):
    fit = fit_text(text, box=box, font=font)
    return fit, text_mask(fit, font=font, region=Box(0, 0, 1024, 1024))


def test_a_long_name_shrinks_to_the_box_width_and_is_centred():
    fit, mask = painted(NAME)
    assert (fit.text, fit.size, fit.origin, fit.bounds) == (
        NAME,
        48,
        (321, 668),
        (321, 668, 703, 723),
    )
    left, top, right, bottom = mask.getbbox()
    assert fit.bounds[0] <= left and right <= fit.bounds[2]  # every pixel inside the bounds
    assert (top, bottom) == (fit.bounds[1], fit.bounds[3])  # ink top = the stacked marks
    assert BOX.x <= left and right <= BOX.right and BOX.y <= top and bottom <= BOX.bottom
    assert abs((top - BOX.y) - (BOX.bottom - bottom)) <= 1  # centred vertically


def test_short_text_takes_the_box_height():
    fit, mask = painted("AB")
    assert (fit.size, fit.bounds) == (112, (435, 655, 588, 737))
    assert mask.getbbox()[1] == 655 and mask.getbbox()[3] == 737


def test_text_never_grows_past_max_size():
    assert fit_text("AB", box=BOX, max_size=40).size == 40


def test_decomposed_input_draws_exactly_like_composed_input():
    nfd = unicodedata.normalize("NFD", NAME)
    assert len(nfd) == 18 and len(NAME) == 14
    fit_nfc, mask_nfc = painted(NAME)
    fit_nfd, mask_nfd = painted(nfd)
    assert fit_nfd == fit_nfc
    assert ImageChops.difference(mask_nfc, mask_nfd).getbbox() is None


def test_stacked_diacritics_are_drawn_above_the_letter():
    font = load_font(None, 100)
    assert ink_box("E", font) == (0, 20, 63, 93)
    assert ink_box("Ê", font) == (0, 0, 63, 93)  # circumflex
    assert ink_box("Ễ", font) == (0, -13, 63, 93)  # circumflex and tilde, stacked
    assert ink_box("ị", font)[3] > ink_box("i", font)[3]  # dot below


def test_a_name_with_stacked_marks_fits_a_short_box_without_clipping():
    box = Box(0, 0, 600, 40)
    _fit, mask = painted("ỄỂỆ ỖỘ", box=box)
    _left, top, right, bottom = mask.getbbox()
    assert top >= 0 and bottom <= 40 and right <= 600
    assert bottom - top > 30  # fills the height: marks included in the fit


@pytest.mark.parametrize("font", [None, DEFAULT_FONT, DEFAULT_BOLD_FONT])
def test_the_vendored_fonts_cover_every_vietnamese_letter(font):
    assert missing_glyphs(VIETNAMESE + VIETNAMESE.upper() + "Đ", font) == ()
    assert missing_glyphs("Tặng 中文", font) == ("中", "文")


def test_blank_text_draws_nothing():
    assert fit_text("   ", box=BOX) is None
    plain = compose_preview(layers=samples.scene(), selection={"color": "blue"}, size=1024)
    blank = compose_preview(
        layers=samples.scene(), selection={"color": "blue", "monogram": "  "}, size=1024
    )
    assert ImageChops.difference(plain, blank).getbbox() is None


def test_text_layer_paints_in_its_colour_inside_its_box():
    layers = (
        LayerSpec(kind="base", image=samples.png(Image.new("RGBA", (1024, 1024), "white"))),
        LayerSpec(kind="text", group="monogram", box=BOX, text_color="#c00000"),
    )
    image = compose_preview(layers=layers, selection={"monogram": NAME}, size=1024)
    changed = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
    assert changed == (325, 668, 700, 723)
    colours = {c for _, c in image.crop(changed).getcolors(100_000)}
    assert (192, 0, 0) in colours  # solid strokes in the exact colour
    assert all(g == b and r >= g for r, g, b in colours)  # only blends of red and white


def test_text_scales_with_the_output_size():
    layers = (
        LayerSpec(kind="base", image=samples.png(Image.new("RGBA", (1024, 1024), "white"))),
        LayerSpec(kind="text", group="monogram", box=BOX),
    )
    image = compose_preview(layers=layers, selection={"monogram": NAME}, size=256)
    changed = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
    left, top, right, bottom = changed
    assert left >= 80 and right <= 176 and top >= 160 and bottom <= 188  # BOX / 4


def test_a_font_given_as_bytes_is_used():
    data = DEFAULT_BOLD_FONT.read_bytes()
    regular = fit_text(NAME, box=BOX)
    bold = fit_text(NAME, box=BOX, font=data)
    assert bold.size < regular.size  # bold is wider, so it shrinks more


def _colours(image: Image.Image) -> set[tuple[int, int, int]]:
    changed = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
    return {c for _, c in image.crop(changed).getcolors(100_000)}


def test_a_text_takes_the_colour_and_font_the_shopper_chose_from_the_merchants_lists():
    white = samples.png(Image.new("RGBA", (1024, 1024), "white"))
    text = LayerSpec(
        kind="text",
        group="monogram",
        box=BOX,
        text_color="#c00000",
        color_group="thread",
        swatches={"gold": "#b08d2a", "navy": "#1f2a44"},
        font_group="font",
        fonts={"bold": DEFAULT_BOLD_FONT.read_bytes()},
    )
    layers = (LayerSpec(kind="base", image=white), text)

    before = compose_preview(layers=layers, selection={"monogram": NAME}, size=1024)
    navy = compose_preview(layers=layers, selection={"monogram": NAME, "thread": "navy"}, size=1024)
    bold = compose_preview(
        layers=layers, selection={"monogram": NAME, "thread": "navy", "font": "bold"}, size=1024
    )

    assert (192, 0, 0) in _colours(before)  # nothing chosen yet: the layer's own colour
    assert (31, 42, 68) in _colours(navy) and (192, 0, 0) not in _colours(navy)
    assert text.styled({"font": "bold"}).font == DEFAULT_BOLD_FONT.read_bytes()
    assert text.styled({"font": "script"}) is text  # a value without a font changes nothing
    assert ImageChops.difference(navy, bold).getbbox() is not None  # another font, drawn
