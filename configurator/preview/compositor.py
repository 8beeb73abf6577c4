"""The live preview: layers composed for a selection, encoded to an allow-listed output.

Pure: layer specs, a selection and the shopper's pictures in; bytes out. Pictures are
decoded, scaled to the output size and cropped once per process (see ``sources``), so a
render for a new selection only tints, pastes, sets text and encodes.

Compositing is done on an opaque RGB canvas when there is a background (every layer is then
"pasted" through its alpha, which is the exact *over* operator on an opaque canvas and about
half the cost of RGBA alpha compositing), and on an RGBA canvas when the caller asks for a
transparent preview (``background=None``).
"""

from __future__ import annotations

import hashlib
import io
import json
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Final

from PIL import Image, ImageChops, ImageOps

from . import sources
from .placement import IDENTITY, Placement, place_picture, place_text, placements_read
from .sources import Placed
from .spec import (
    CONTENT_TYPES,
    DEFAULT_BACKGROUND,
    Box,
    LayerSpec,
    PreviewError,
    Problem,
    Source,
    is_colour,
    layer_problems,
    output_problems,
    rgb,
)
from .text import fit_text, text_mask

#: Bumped when the same inputs would render differently: old cached files stop matching.
RENDERER: Final = "preview/1"
WEBP_QUALITY, WEBP_METHOD = 85, 1  # method 4 costs 3x the time for ~20% fewer bytes
JPEG_QUALITY = 88
PNG_COMPRESS_LEVEL = 3

Upload = bytes | Image.Image


def render_preview(
    *,
    layers: Sequence[LayerSpec],
    selection: Mapping[str, object],
    size: int,
    format: str,
    uploads: Mapping[str, Upload] | None = None,
    background: str | None = DEFAULT_BACKGROUND,
) -> bytes:
    """The encoded preview: ``size`` px on its longest side, in ``format``.

    Raises :class:`PreviewError` with every problem (size or format not allowed, bad layer
    definitions, unreadable pictures), each with a code and a path.
    """
    problems = output_problems(size=size, format=format)
    image = compose_preview(
        layers=layers,
        selection=selection,
        size=size,
        uploads=uploads,
        background=background,
        _problems=problems,
    )
    return encode(image, format=format)


def content_type(format: str) -> str:
    return CONTENT_TYPES[format]


def compose_preview(
    *,
    layers: Sequence[LayerSpec],
    selection: Mapping[str, object],
    size: int,
    uploads: Mapping[str, Upload] | None = None,
    background: str | None = DEFAULT_BACKGROUND,
    _problems: list[Problem] | None = None,
) -> Image.Image:
    """The composed preview as a Pillow image (RGB, or RGBA without a background)."""
    problems = list(_problems or []) + layer_problems(layers)
    if background is not None and not is_colour(background):
        problems.append(Problem("preview.E004", "background", "Use a colour like #f7f4ef."))
    if not isinstance(size, int) or size <= 0:
        problems.append(Problem("preview.E001", "size", "Size must be a positive integer."))
    if problems:
        raise PreviewError(problems)
    native = native_size(layers)
    factor = size / max(native)
    canvas_size = (max(1, round(native[0] * factor)), max(1, round(native[1] * factor)))
    if background is None:
        canvas = Image.new("RGBA", canvas_size, (0, 0, 0, 0))
    else:
        canvas = Image.new("RGB", canvas_size, rgb(background))
    bases = tuple(
        (layer.image, f"layers[{i}].image")
        for i, layer in enumerate(layers)
        if layer.kind == "base" and not layer.value and layer.image
    )
    uploads = uploads or {}
    placements = placements_read(selection)
    for index, layer in enumerate(layers):
        chosen = chosen_values(selection.get(layer.group)) if layer.group else ()
        if layer.value and layer.value not in chosen:
            continue
        path = f"layers[{index}]"
        if layer.kind in ("base", "overlay"):
            _draw(canvas, _plain(layer, path, canvas_size))
        elif layer.kind == "texture":
            _draw(canvas, _texture(layer, path, canvas_size, bases))
        elif layer.kind == "tint":
            colour = layer.tint or next((c for c in map(layer.swatch_for, chosen) if c), "")
            if colour:
                _draw_tint(canvas, _tint_mask(layer, path, canvas_size), colour)
        elif layer.kind == "text":
            text = selection.get(layer.group)
            layer = layer.styled(selection)
            if isinstance(text, str) and layer.region is not None:
                box = layer.region.scaled(factor)
                placement = placements.get(layer.group, IDENTITY)
                if placement.is_identity:
                    _draw_text(canvas, layer, text, box)
                else:
                    _draw_placed_text(canvas, layer, text, box, placement)
        elif layer.kind == "artwork" and layer.group in uploads and layer.region is not None:
            placement = placements.get(layer.group, IDENTITY)
            box = layer.region.scaled(factor)
            _draw(canvas, _artwork(uploads[layer.group], box, layer.group, placement))
    return canvas


def chosen_values(raw: object) -> tuple[str, ...]:
    """The value codes chosen in a group: one code, or several for a multi group."""
    if isinstance(raw, str):
        return (raw,)
    if isinstance(raw, list | tuple | set | frozenset):
        return tuple(str(item) for item in raw if isinstance(item, str))
    return ()


def native_size(layers: Sequence[LayerSpec]) -> tuple[int, int]:
    """The canvas every layer is drawn on: the first base's size (else the first picture's)."""
    ordered = sorted(
        ((i, layer) for i, layer in enumerate(layers) if layer.image),
        key=lambda item: (item[1].kind != "base", item[0]),
    )
    for index, layer in ordered:
        assert layer.image is not None
        return sources.decode(layer.image, path=f"layers[{index}].image").size
    return (1024, 1024)


def _plain(layer: LayerSpec, path: str, canvas: tuple[int, int]) -> Placed | None:
    assert layer.image is not None
    source = layer.image

    def make() -> Placed | None:
        picture = sources.decode(source, path=f"{path}.image")
        return sources.crop_to_content(sources.as_rgba(sources.at_canvas(picture, canvas)))

    key = ("plain", sources.source_id(source), canvas)
    return sources.CACHE.get(key, make, sources.placed_bytes)


def _texture(
    layer: LayerSpec,
    path: str,
    canvas: tuple[int, int],
    bases: tuple[tuple[Source, str], ...],
) -> Placed | None:
    assert layer.image is not None
    source = layer.image

    def make() -> Placed | None:
        picture = sources.decode(source, path=f"{path}.image")
        texture = sources.as_rgba(sources.at_canvas(picture, canvas))
        if bases:
            alpha = ImageChops.multiply(texture.getchannel("A"), sources.silhouette(bases, canvas))
            texture = texture.copy()
            texture.putalpha(alpha)
        return sources.crop_to_content(texture)

    ids = tuple(sources.source_id(s) for s, _ in bases)
    key = ("texture", sources.source_id(source), ids, canvas)
    return sources.CACHE.get(key, make, sources.placed_bytes)


def _tint_mask(layer: LayerSpec, path: str, canvas: tuple[int, int]) -> Placed | None:
    """The mask as RGBA: grey shading in RGB (white when it has none), coverage in A."""
    assert layer.image is not None
    source = layer.image

    def make() -> Placed | None:
        picture = sources.at_canvas(sources.decode(source, path=f"{path}.image"), canvas)
        if picture.mode in ("L", "RGB"):  # a coverage mask: white paints
            alpha = picture.convert("L")
            mask = Image.new("RGBA", picture.size, (255, 255, 255, 255))
            mask.putalpha(alpha)
        else:
            mask = sources.as_rgba(picture)
        return sources.crop_to_content(mask)

    key = ("tint", sources.source_id(source), canvas)
    return sources.CACHE.get(key, make, sources.placed_bytes)


def tint_table(colour: str) -> list[int]:
    """The lookup that multiplies each channel by the colour: round(v × c / 255)."""
    table: list[int] = []
    for channel in rgb(colour):
        table.extend((v * channel + 127) // 255 for v in range(256))
    return table + list(range(256))  # alpha unchanged


def _draw_tint(canvas: Image.Image, mask: Placed | None, colour: str) -> None:
    if mask is None:
        return
    _draw(canvas, Placed(mask.image.point(tint_table(colour)), mask.offset))


def _draw(canvas: Image.Image, placed: Placed | None) -> None:
    if placed is None:
        return
    if min(placed.offset) < 0:  # a turned picture's corner past the canvas: cut it off
        left, top = max(0, -placed.offset[0]), max(0, -placed.offset[1])
        image = placed.image.crop((left, top, placed.image.width, placed.image.height))
        placed = Placed(image, (placed.offset[0] + left, placed.offset[1] + top))
    if canvas.mode == "RGBA":
        canvas.alpha_composite(placed.image, dest=placed.offset)
    else:
        canvas.paste(placed.image, placed.offset, placed.image)


def _draw_text(canvas: Image.Image, layer: LayerSpec, text: str, box: Box) -> None:
    fit = fit_text(text, box=box, font=layer.font)
    if fit is None:
        return
    left = max(0, min(box.x, fit.bounds[0]))
    top = max(0, min(box.y, fit.bounds[1]))
    right = min(canvas.width, max(box.right, fit.bounds[2]))
    bottom = min(canvas.height, max(box.bottom, fit.bounds[3]))
    if right <= left or bottom <= top:
        return
    region = Box(left, top, right - left, bottom - top)
    mask = text_mask(fit, font=layer.font, region=region)
    colour = rgb(layer.text_color)
    if canvas.mode == "RGBA":
        paint = Image.new("RGBA", mask.size, (*colour, 255))
        paint.putalpha(mask)
        canvas.alpha_composite(paint, dest=(left, top))
    else:
        canvas.paste(colour, (left, top, right, bottom), mask)


def _draw_placed_text(
    canvas: Image.Image, layer: LayerSpec, text: str, box: Box, placement: Placement
) -> None:
    """The text where the shopper placed it in its box (moved, scaled, turned)."""
    placed = place_text(text, box, placement, layer.font)
    if placed is None:
        return
    mask, (left, top) = placed
    colour = rgb(layer.text_color)
    paint = Image.new("RGBA", mask.size, (*colour, 255))
    paint.putalpha(mask)
    _draw(canvas, Placed(paint, (left, top)))


def _artwork(
    upload: Upload, box: Box, group: str, placement: Placement = IDENTITY
) -> Placed | None:
    """The shopper's picture fitted (never cropped) and centred in the box, or where the
    shopper placed it in the box."""

    def make() -> Placed | None:
        picture = _open_upload(upload, box, group)
        if not placement.is_identity:
            image, offset = place_picture(sources.as_rgba(picture), box, placement)
            return Placed(image, offset)
        fitted = ImageOps.contain(picture, (box.width, box.height), Image.Resampling.LANCZOS)
        fitted = sources.as_rgba(fitted)
        offset = (
            box.x + (box.width - fitted.width) // 2,
            box.y + (box.height - fitted.height) // 2,
        )
        return Placed(fitted, offset)

    if isinstance(upload, Image.Image):
        return make()
    key = ("artwork", sources.source_id(upload), box, placement)
    return sources.CACHE.get(key, make, sources.placed_bytes)


def _open_upload(upload: Upload, box: Box, group: str) -> Image.Image:
    if isinstance(upload, Image.Image):
        return upload
    try:
        with Image.open(io.BytesIO(upload), formats=list(sources.LAYER_FORMATS)) as opened:
            # JPEG decodes at 1/2, 1/4 or 1/8 scale when the box is that much smaller.
            opened.draft("RGB", (box.width, box.height))
            opened.load()
            return ImageOps.exif_transpose(opened)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        problem = Problem("preview.E009", f"uploads.{group}", f"Unreadable picture ({exc}).")
        raise PreviewError([problem]) from None


def encode(image: Image.Image, *, format: str) -> bytes:
    """The image in an allow-listed format (JPEG flattened on white when transparent)."""
    problems = output_problems(size=256, format=format)
    if problems:
        raise PreviewError(problems)
    out = io.BytesIO()
    if format == "webp":
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    elif format == "jpeg":
        if image.mode == "RGBA":
            flat = Image.new("RGB", image.size, (255, 255, 255))
            flat.paste(image, (0, 0), image)
            image = flat
        image.save(out, "JPEG", quality=JPEG_QUALITY)
    else:
        image.save(out, "PNG", compress_level=PNG_COMPRESS_LEVEL)
    return out.getvalue()


def canonical_selection(selection: Mapping[str, object]) -> dict[str, object]:
    """The selection as the renderer sees it: empty choices dropped, text NFC, multi sorted."""
    out: dict[str, object] = {}
    for key in sorted(selection, key=str):
        value = _canonical(selection[key])
        if value not in (None, "", [], {}):
            out[unicodedata.normalize("NFC", str(key))] = value
    return out


def _canonical(value: object) -> object:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, Mapping):
        return canonical_selection(value)
    if isinstance(value, list | tuple | set | frozenset):
        unique = {
            json.dumps(item, sort_keys=True, ensure_ascii=False): item
            for item in map(_canonical, value)
        }
        return [unique[text] for text in sorted(unique)]
    return str(value)


def preview_key(version_id: object, selection: Mapping[str, object], size: int, format: str) -> str:
    """A stable 40-hex-digit key: equal for selections that render the same picture.

    Key order, the order of a multi group's values, NFC/NFD spelling and empty choices do
    not change it; the renderer's revision does. Raises PreviewError for a size or format
    outside the allow-lists.
    """
    problems = output_problems(size=size, format=format)
    if problems:
        raise PreviewError(problems)
    document = {
        "r": RENDERER,
        "v": str(version_id),
        "s": canonical_selection(selection),
        "z": size,
        "f": format,
    }
    raw = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:40]
