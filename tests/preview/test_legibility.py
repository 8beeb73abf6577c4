"""A text's contrast with what is under it: WCAG's ratio, read from the composed layers."""

from __future__ import annotations

import pytest

from configurator.preview import LayerSpec, text_legibility
from configurator.preview.legibility import MIN_CONTRAST, best_colour, contrast_ratio
from tests.fixtures.pictures import png

WHITE_BAG = png(400, 300, (255, 255, 255))
TEXT_BOX = (100, 100, 200, 60)


def tote(text_color="#1e1b18", **text):
    """A white bag tinted by "color", an overlay of stripes for "design", and a text."""
    return (
        LayerSpec(kind="base", image=WHITE_BAG),
        LayerSpec(
            kind="tint",
            image=png(400, 300, (255, 255, 255)),
            group="color",
            swatches={"black": "#22201e", "natural": "#e8dcc2", "navy": "#1f2a44"},
        ),
        LayerSpec(
            kind="overlay",
            image=stripes(),
            group="design",
            value="stripes",
        ),
        LayerSpec(
            kind="text",
            group="monogram",
            box=TEXT_BOX,
            text_color=text_color,
            **text,
        ),
        # Drawn after the text: never under it.
        LayerSpec(kind="overlay", image=png(400, 300, (0, 0, 0)), group="cover", value="on"),
    )


def stripes() -> bytes:
    """Black stripes over half of the picture, transparent between them."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for x in range(0, 400, 20):
        draw.rectangle((x, 0, x + 9, 299), fill=(0, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_the_ratio_is_wcags():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == 1.0
    assert round(contrast_ratio("#777777", "#ffffff"), 2) == 4.48  # WCAG's own example


def test_dark_text_on_a_light_bag_reads_and_on_a_black_bag_does_not():
    natural = text_legibility(tote(), {"color": "natural", "monogram": "Lan"}, "monogram")
    assert natural is not None
    assert (natural.colour, natural.background) == ("#1e1b18", "#e8dcc2")
    assert natural.ratio == 12.61
    assert natural.readable
    black = text_legibility(tote(), {"color": "black", "monogram": "Lan"}, "monogram")
    assert black is not None
    assert (black.colour, black.background, black.ratio) == ("#1e1b18", "#22201e", 1.06)
    assert not black.readable


def test_the_colour_chosen_for_the_text_is_the_one_read():
    layers = tote(color_group="ink", swatches={"white": "#f7f4ef", "ink": "#1e1b18"})
    white = text_legibility(layers, {"color": "black", "ink": "white"}, "monogram")
    assert white is not None
    assert (white.colour, white.ratio) == ("#f7f4ef", 14.8)


def test_stripes_under_half_the_box_make_any_colour_unreadable():
    selection = {"color": "natural", "design": "stripes"}
    dark = text_legibility(tote(), selection, "monogram")
    assert dark is not None
    assert dark.ratio == 1.13  # the box's black stripes (softened when made small) hide it
    light = text_legibility(tote(text_color="#ffffff"), selection, "monogram")
    assert light is not None
    assert light.ratio == 1.36  # the natural between the stripes hides white text
    assert max(dark.ratio, light.ratio) < MIN_CONTRAST


def test_a_view_without_the_texts_layer_says_nothing():
    assert text_legibility(tote(), {"color": "black"}, "engraving") is None


def test_the_best_colour_is_offered_only_when_it_reads():
    layers = tote()
    read = {
        code: text_legibility(layers, {"color": "black"}, "monogram", colour=colour)
        for code, colour in {"ink": "#1e1b18", "white": "#f7f4ef", "gold": "#c9a227"}.items()
    }
    assert {code: legibility.ratio for code, legibility in read.items()} == {
        "ink": 1.06,
        "white": 14.8,
        "gold": 6.71,
    }
    assert best_colour(read) == "white"
    assert best_colour({"ink": read["ink"]}) is None
