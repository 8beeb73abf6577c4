"""A placed picture or text: the same geometry in the live preview and the print artwork."""

from __future__ import annotations

import pytest
from PIL import Image

from configurator.preview import compose_preview, preview_key, samples
from configurator.preview.placement import (
    PLACEMENT_KEY,
    Placement,
    placement_problems,
    placements_read,
)
from configurator.preview.printing import PrintArea, compose_print_artwork, print_quality
from configurator.preview.spec import LayerSpec

RED = (220, 0, 0)
BOX = (200, 100, 400, 300)  # on a 1024 × 768 canvas: drawn at scale 1 at size 1024
AREA = PrintArea(101.6, 76.2, 300)  # 1200 × 900 pixels: the box's shape, three times larger


def _layers(kind="artwork"):
    empty = samples.encoded(Image.new("RGBA", (1024, 768), (0, 0, 0, 0)))
    extra = {"font": None, "text_color": "#dc0000"} if kind == "text" else {}
    return (
        LayerSpec(kind="base", image=empty),
        LayerSpec(kind=kind, group="photo" if kind == "artwork" else "name", box=BOX, **extra),
    )


def _preview(placement=None, picture=None):
    selection = {"photo": "mine"}
    if placement is not None:
        selection[PLACEMENT_KEY] = {"photo": placement}
    picture = picture or Image.new("RGB", (400, 300), RED)
    return compose_preview(
        layers=_layers(),
        selection=selection,
        size=1024,
        uploads={"photo": picture},
        background=None,
    )


def _fractions(bbox, origin, size):
    x, y = origin
    w, h = size
    return ((bbox[0] - x) / w, (bbox[1] - y) / h, (bbox[2] - x) / w, (bbox[3] - y) / h)


def test_without_a_placement_the_picture_fills_its_box_as_before():
    assert _preview().getbbox() == (200, 100, 600, 400)
    identity = {"x": 0.5, "y": 0.5, "scale": 1, "rotation": 0}
    assert _preview(identity).tobytes() == _preview().tobytes()


def test_the_picture_moves_and_scales_by_the_expected_pixels():
    # Half size (200 × 150), centred a quarter of the box's width from its left edge.
    image = _preview({"x": 0.25, "y": 0.5, "scale": 0.5, "rotation": 0})
    assert image.getbbox() == (200, 175, 400, 325)
    moved = _preview({"x": 0.75, "y": 0.25, "scale": 0.5, "rotation": 0})
    assert moved.getbbox() == (400, 100, 600, 250)  # 200 px right, 75 px up
    assert moved.getpixel((500, 175)) == (*RED, 255)


def test_a_quarter_turn_swaps_the_pictures_sides_about_its_centre():
    image = _preview({"x": 0.5, "y": 0.5, "scale": 0.5, "rotation": 90})
    assert image.getbbox() == (325, 150, 475, 350)  # 150 × 200 around (400, 250)


def test_a_turned_picture_keeps_its_colours_and_grows_its_bounding_box():
    image = _preview({"x": 0.5, "y": 0.5, "scale": 0.5, "rotation": 45})
    left, top, right, bottom = image.getbbox()
    # 200 × 150 turned 45°: about 247.5 px each way, centred on (400, 250).
    assert abs((right - left) - 248) <= 2 and abs((bottom - top) - 248) <= 2
    assert abs((left + right) / 2 - 400) <= 1 and abs((top + bottom) / 2 - 250) <= 1
    assert image.getpixel((400, 250)) == (*RED, 255)
    assert image.getpixel((left + 2, top + 2))[3] == 0  # a corner of the box: transparent


def test_print_artwork_has_the_previews_geometry():
    placement = {"x": 0.25, "y": 0.6, "scale": 0.5, "rotation": 0}
    preview = _preview(placement).getbbox()
    art = compose_print_artwork(
        area=AREA, art=Image.new("RGB", (400, 300), RED), placement=Placement(0.25, 0.6, 0.5, 0)
    )
    assert art.size == (1200, 900)
    assert art.getbbox() == (0, 315, 600, 765)  # 600 × 450 centred on (300, 540)
    assert _fractions(art.getbbox(), (0, 0), art.size) == _fractions(
        preview, (200, 100), (400, 300)
    )


def test_print_artwork_turns_the_picture_like_the_preview():
    art = compose_print_artwork(
        area=AREA, art=Image.new("RGB", (400, 300), RED), placement=Placement(0.5, 0.5, 0.5, 90)
    )
    assert art.getbbox() == (375, 150, 825, 750)  # 450 × 600 around (600, 450)
    preview = _preview({"x": 0.5, "y": 0.5, "scale": 0.5, "rotation": 90}).getbbox()
    assert _fractions(art.getbbox(), (0, 0), art.size) == _fractions(
        preview, (200, 100), (400, 300)
    )


def _text_preview(placement):
    selection = {"name": "Ánh", PLACEMENT_KEY: {"name": placement}}
    return compose_preview(layers=_layers("text"), selection=selection, size=1024, background=None)


def test_placed_text_moves_by_the_expected_pixels_and_shrinks():
    left = _text_preview({"x": 0.3, "y": 0.5, "scale": 0.5, "rotation": 0}).getbbox()
    right = _text_preview({"x": 0.7, "y": 0.5, "scale": 0.5, "rotation": 0}).getbbox()
    assert (right[0] - left[0], right[2] - left[2]) == (160, 160)  # 0.4 × 400 px
    assert (right[1], right[3]) == (left[1], left[3])
    full = _text_preview({"x": 0.5, "y": 0.5, "scale": 1, "rotation": 0}).getbbox()
    assert (left[3] - left[1]) < (full[3] - full[1]) * 0.6  # half the box: half the size


def test_placed_text_in_print_artwork_sits_where_the_preview_puts_it():
    placement = Placement(0.3, 0.5, 0.5, 0)
    art = compose_print_artwork(area=AREA, text="Ánh", placement=placement).getbbox()
    preview = _text_preview(placement.as_dict()).getbbox()
    centre_art = ((art[0] + art[2]) / 2 / 1200, (art[1] + art[3]) / 2 / 900)
    centre_preview = (
        ((preview[0] + preview[2]) / 2 - 200) / 400,
        ((preview[1] + preview[3]) / 2 - 100) / 300,
    )
    assert abs(centre_art[0] - centre_preview[0]) < 0.02
    assert abs(centre_art[1] - centre_preview[1]) < 0.02


def test_turned_text_stands_up():
    flat = _text_preview({"x": 0.5, "y": 0.5, "scale": 0.5, "rotation": 0}).getbbox()
    upright = _text_preview({"x": 0.5, "y": 0.5, "scale": 0.5, "rotation": 90}).getbbox()
    assert (upright[2] - upright[0], upright[3] - upright[1]) == (
        flat[3] - flat[1],
        flat[2] - flat[0],
    )


@pytest.mark.parametrize(
    ("placement", "codes"),
    [
        (Placement(0.5, 0.5, 1, 0), []),
        (Placement(0.25, 0.5, 0.5, 0), []),  # touching the left edge
        (Placement(0.24, 0.5, 0.5, 0), ["placement.E005"]),
        (Placement(0.5, 0.5, 1, 10), ["placement.E005"]),  # turned, it pokes out
        (Placement(0.5, 0.5, 0.65, 45), ["placement.E005"]),
        (Placement(0.5, 0.5, 0.5, 45), []),
        (Placement(0.5, 0.5, 0.05, 0), ["placement.E003"]),
        (Placement(0.5, 0.5, 1.5, 0), ["placement.E003"]),
        (Placement(0.5, 0.5, 0.5, 181), ["placement.E004"]),
    ],
)
def test_a_placement_keeps_the_picture_inside_every_area(placement, codes):
    problems = placement_problems(
        placement, item=(400, 300), areas=[(400, 300), (1200, 900)], path="p"
    )
    assert [p.code for p in problems] == codes


def test_a_picture_narrower_than_its_area_may_move_sideways_at_full_size():
    # A square picture in a 4:3 area fills its height: a sixth of the width is free each side.
    item, areas = (100, 100), [(400, 300)]
    assert placement_problems(Placement(0.375, 0.5, 1, 0), item=item, areas=areas, path="p") == []
    outside = placement_problems(Placement(0.36, 0.5, 1, 0), item=item, areas=areas, path="p")
    assert [p.code for p in outside] == ["placement.E005"]


def test_placements_are_read_leniently_for_drawing():
    selection = {
        PLACEMENT_KEY: {
            "a": {"x": 0.2, "scale": 5},
            "b": {"x": "left"},
            "c": [1, 2],
            "d": {"rotation": float("nan")},
        }
    }
    assert placements_read(selection) == {"a": Placement(0.2, 0.5, 1.0, 0.0)}
    assert placements_read({PLACEMENT_KEY: "x"}) == {}


def test_a_placement_changes_the_preview_key():
    plain = {"photo": "u"}
    placed = {**plain, PLACEMENT_KEY: {"photo": {"x": 0.3, "y": 0.5, "scale": 0.5, "rotation": 0}}}
    assert preview_key(1, plain, 512, "webp") != preview_key(1, placed, 512, "webp")


def test_print_quality_follows_the_scale():
    area = PrintArea(200, 150, 300)  # 2362 × 1772 pixels
    full = print_quality((1181, 886), area)
    half = print_quality((1181, 886), area, scale=0.5)
    assert (full.effective_dpi, full.level) == (150.0, "low")
    assert (half.effective_dpi, half.level, half.code) == (300.1, "ok", "")
    quarter_size = print_quality((590, 443), area, scale=0.5)
    assert (quarter_size.effective_dpi, quarter_size.level) == (150.0, "low")
    assert quarter_size.needed == (1180, 886)  # half of the area at 300 DPI
