"""Layers composed per selection: exact pixels after tinting, clipping, overlays, artwork."""

from __future__ import annotations

import pytest
from PIL import Image

from configurator.preview import (
    SIZES,
    LayerSpec,
    PreviewError,
    compose_preview,
    render_preview,
    samples,
)
from configurator.preview.compositor import tint_table
from tests.fixtures.pictures import decode

BACKGROUND = (247, 244, 239)
FLAT_POINT, SHADE_POINT = (300, 560), (730, 560)  # in the body, outside everything else


def compose(selection, size=1024, **kwargs):
    return compose_preview(layers=samples.scene(), selection=selection, size=size, **kwargs)


def test_tint_multiplies_the_swatch_into_the_mask_so_shading_stays():
    image = compose({"color": "blue"})  # #3366cc
    assert image.mode == "RGB"
    assert image.getpixel(FLAT_POINT) == (40, 80, 160)  # 200 × (51, 102, 204) / 255
    assert image.getpixel(SHADE_POINT) == (24, 48, 96)  # 120 × (51, 102, 204) / 255
    assert image.getpixel((20, 20)) == BACKGROUND  # outside the product


def test_each_swatch_paints_its_own_colour():
    assert compose({"color": "red"}).getpixel(FLAT_POINT) == (160, 27, 0)  # #cc2200
    assert compose({"color": "white"}).getpixel(FLAT_POINT) == (200, 200, 200)
    assert compose({"color": "navy"}).getpixel(FLAT_POINT) == (24, 33, 53)  # #1f2a44


def test_without_a_chosen_colour_the_base_shows():
    image = compose({})
    assert image.getpixel(FLAT_POINT) == samples.BASE_GREY
    assert compose({"color": "purple"}).getpixel(FLAT_POINT) == samples.BASE_GREY  # no swatch


def test_a_fixed_tint_paints_without_a_choice():
    layers = (
        LayerSpec(kind="base", image=samples.png(samples.base_image())),
        LayerSpec(kind="tint", image=samples.png(samples.tint_mask()), tint="#ff0000"),
    )
    image = compose_preview(layers=layers, selection={}, size=1024)
    assert image.getpixel(FLAT_POINT) == (200, 0, 0)


def test_a_mask_without_alpha_is_a_coverage_mask_painted_flat():
    mask = Image.new("L", (1024, 1024), 0)
    mask.paste(255, (256, 192, 768, 832))
    layers = (
        LayerSpec(kind="base", image=samples.png(samples.base_image())),
        LayerSpec(kind="tint", image=samples.png(mask), group="color", swatches={"x": "#3366cc"}),
    )
    image = compose_preview(layers=layers, selection={"color": "x"}, size=1024)
    assert image.getpixel(FLAT_POINT) == (51, 102, 204)
    assert image.getpixel(SHADE_POINT) == (51, 102, 204)
    assert image.getpixel((20, 20)) == BACKGROUND


def test_tint_table_rounds_the_product():
    table = tint_table("#3366cc")
    assert len(table) == 1024
    assert table[200] == 40 and table[256 + 200] == 80 and table[512 + 200] == 160
    assert table[255] == 0x33 and table[0] == 0 and table[768 + 17] == 17  # alpha kept


def test_texture_is_drawn_only_for_its_material_and_clipped_to_the_product():
    stripe_in_body, stripe_outside, stripe_on_shadow = (320, 560), (128, 560), (320, 860)
    plain = compose({"color": "blue"})
    linen = compose({"color": "blue", "material": "linen"})
    assert plain.getpixel(stripe_in_body) == (40, 80, 160)
    assert linen.getpixel(stripe_in_body) == samples.STRIPE
    assert linen.getpixel(FLAT_POINT) == (40, 80, 160)  # between stripes
    assert linen.getpixel(stripe_outside) == BACKGROUND
    assert linen.getpixel(stripe_on_shadow) == plain.getpixel(stripe_on_shadow)  # soft shadow


def test_overlay_is_drawn_for_its_design_only():
    assert compose({"color": "blue", "design": "star"}).getpixel((512, 540)) == samples.STAR_COLOUR
    assert compose({"color": "blue", "design": "plain"}).getpixel((512, 540)) == (40, 80, 160)


def test_a_layer_with_a_value_listens_to_multi_groups():
    layers = (
        *samples.scene(),
        LayerSpec(
            kind="overlay",
            image=samples.png(samples.overlay_image()),
            group="extras",
            value="badge",
        ),
    )
    image = compose_preview(layers=layers, selection={"extras": ["gift", "badge"]}, size=1024)
    assert image.getpixel((512, 540)) == samples.STAR_COLOUR
    image = compose_preview(layers=layers, selection={"extras": ["gift"]}, size=1024)
    assert image.getpixel((512, 540)) == samples.BASE_GREY


def test_layers_draw_in_sequence_order():
    star = LayerSpec(kind="overlay", image=samples.png(samples.overlay_image()))
    scene = samples.scene()
    on_top = compose_preview(layers=(*scene[:2], star), selection={"color": "blue"}, size=1024)
    below = compose_preview(
        layers=(scene[0], star, scene[1]), selection={"color": "blue"}, size=1024
    )
    assert on_top.getpixel((512, 540)) == samples.STAR_COLOUR
    assert below.getpixel((512, 540)) == (40, 80, 160)


def test_artwork_is_fitted_into_the_print_area_and_centred():
    photo = samples.encoded(samples.photo(1200, 900), "PNG")  # 4:3, box is 320 × 240
    image = compose({"color": "blue", "photo": "any"}, uploads={"photo": photo})
    box = samples.ART_BOX
    assert image.getpixel((box.x + 2, box.y + 2)) == (255, 255, 255)  # the photo's frame
    assert image.getpixel((box.x + 60, box.y + 60)) == (220, 30, 30)
    assert image.getpixel((box.right - 60, box.bottom - 60)) == (240, 200, 20)
    assert image.getpixel((box.x - 3, box.y + 60)) == (40, 80, 160)  # nothing outside


def test_a_tall_picture_is_letterboxed_not_cropped():
    photo = samples.encoded(samples.photo(300, 600), "JPEG", quality=95)  # fits 120 × 240
    image = compose({"color": "blue"}, uploads={"photo": photo})
    box = samples.ART_BOX
    centre_x = box.x + box.width // 2
    assert image.getpixel((centre_x - 70, box.y + 120)) == (40, 80, 160)  # tint beside it
    r, g, b = image.getpixel((centre_x - 30, box.y + 60))
    assert r > 200 and g < 60 and b < 60  # red quadrant (JPEG: near, not exact)


def test_artwork_accepts_a_pillow_image():
    image = compose({}, uploads={"photo": samples.photo(320, 240)})
    assert image.getpixel((samples.ART_BOX.x + 60, samples.ART_BOX.y + 60)) == (220, 30, 30)


@pytest.mark.parametrize("size", SIZES)
def test_every_allowed_size_scales_the_scene(size):
    image = compose({"color": "blue"}, size=size)
    f = size / 1024
    assert image.size == (size, size)
    assert image.getpixel((round(300 * f), round(560 * f))) == (40, 80, 160)
    assert image.getpixel((round(735 * f), round(560 * f))) == (24, 48, 96)
    assert image.getpixel((2, 2)) == BACKGROUND


def test_a_non_square_base_keeps_its_shape():
    base = Image.new("RGBA", (800, 400), (10, 20, 30, 255))
    layers = (LayerSpec(kind="base", image=samples.png(base)),)
    image = compose_preview(layers=layers, selection={}, size=512)
    assert image.size == (512, 256)
    assert image.getpixel((300, 100)) == (10, 20, 30)


def test_a_layer_of_another_size_is_drawn_on_the_base_canvas():
    small_mask = samples.tint_mask(256)  # drawn at a quarter of the base's size
    layers = (
        LayerSpec(kind="base", image=samples.png(samples.base_image())),
        LayerSpec(kind="tint", image=samples.png(small_mask), tint="#ffffff"),
    )
    image = compose_preview(layers=layers, selection={}, size=1024)
    assert image.getpixel((400, 500)) == (200, 200, 200)


def test_transparent_background_keeps_alpha():
    image = compose({"color": "blue"}, background=None)
    assert image.mode == "RGBA"
    assert image.getpixel((20, 20)) == (0, 0, 0, 0)
    assert image.getpixel(FLAT_POINT) == (40, 80, 160, 255)


@pytest.mark.parametrize(
    ("format", "pillow", "mode"),
    [("webp", "WEBP", "RGB"), ("png", "PNG", "RGB"), ("jpeg", "JPEG", "RGB")],
)
def test_render_preview_encodes_each_allowed_format(format, pillow, mode):
    data = render_preview(
        layers=samples.scene(), selection={"color": "blue"}, size=512, format=format
    )
    image = decode(data)
    assert (image.format, image.size, image.mode) == (pillow, (512, 512), mode)
    r, g, b = image.convert("RGB").getpixel((150, 280))
    assert abs(r - 40) <= 3 and abs(g - 80) <= 3 and abs(b - 160) <= 3


def test_png_is_lossless():
    data = render_preview(
        layers=samples.scene(), selection={"color": "blue"}, size=256, format="png"
    )
    assert decode(data).getpixel((75, 140)) == (40, 80, 160)


def test_transparent_jpeg_is_flattened_on_white():
    data = render_preview(
        layers=samples.scene(), selection={}, size=256, format="jpeg", background=None
    )
    assert decode(data).getpixel((3, 3)) == (255, 255, 255)


def test_sizes_and_formats_outside_the_allow_lists_are_refused_together():
    with pytest.raises(PreviewError) as refused:
        render_preview(layers=samples.scene(), selection={}, size=4096, format="gif")
    assert [(p.code, p.path) for p in refused.value.problems] == [
        ("preview.E001", "size"),
        ("preview.E002", "format"),
    ]


def test_bad_layer_definitions_are_all_reported_with_paths():
    layers = (
        LayerSpec(kind="sparkle"),
        LayerSpec(kind="base"),
        LayerSpec(kind="tint", image=b"x"),
        LayerSpec(kind="tint", image=b"x", group="color", swatches={"navy": "blue"}),
        LayerSpec(kind="overlay", image=b"x", value="star"),
        LayerSpec(kind="text", group="monogram", text_color="red"),
        LayerSpec(kind="artwork", box=(0, 0, 0, 10)),
    )
    with pytest.raises(PreviewError) as refused:
        render_preview(layers=layers, selection={}, size=512, format="bmp", background="beige")
    assert [(p.code, p.path) for p in refused.value.problems] == [
        ("preview.E002", "format"),
        ("preview.E003", "layers[0].kind"),
        ("preview.E006", "layers[1].image"),
        ("preview.E007", "layers[2].group"),
        ("preview.E004", "layers[3].swatches.navy"),
        ("preview.E007", "layers[4].group"),
        ("preview.E005", "layers[5].box"),
        ("preview.E004", "layers[5].text_color"),
        ("preview.E007", "layers[6].group"),
        ("preview.E005", "layers[6].box"),
        ("preview.E004", "background"),
    ]


def test_an_unreadable_layer_picture_is_named():
    layers = (
        LayerSpec(kind="base", image=samples.png(samples.base_image(64))),
        LayerSpec(kind="overlay", image=b"<svg/>", group="design", value="star"),
    )
    compose_preview(layers=layers, selection={}, size=256)  # not drawn, not read
    with pytest.raises(PreviewError) as refused:
        compose_preview(layers=layers, selection={"design": "star"}, size=256)
    assert [(p.code, p.path) for p in refused.value.problems] == [
        ("preview.E008", "layers[1].image")
    ]


def test_an_unreadable_upload_is_named():
    with pytest.raises(PreviewError) as refused:
        compose({}, uploads={"photo": b"GIF89a...."})
    assert [(p.code, p.path) for p in refused.value.problems] == [("preview.E009", "uploads.photo")]


def test_layers_given_as_paths_are_read_again_when_the_file_changes(tmp_path):
    path = tmp_path / "base.png"
    Image.new("RGBA", (64, 64), (10, 20, 30, 255)).save(path)
    layers = (LayerSpec(kind="base", image=str(path)),)
    assert compose_preview(layers=layers, selection={}, size=256).getpixel((5, 5)) == (10, 20, 30)
    Image.new("RGBA", (64, 64), (200, 20, 30, 255)).save(path)
    import os

    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert compose_preview(layers=layers, selection={}, size=256).getpixel((5, 5)) == (200, 20, 30)


def test_the_same_inputs_give_the_same_bytes():
    kwargs = dict(
        layers=samples.scene(),
        selection={"color": "red", "monogram": "Tặng mẹ"},
        size=512,
        format="png",
    )
    first = render_preview(**kwargs)
    from configurator.preview import clear_caches

    clear_caches()
    assert render_preview(**kwargs) == first
