"""Live preview: the version's layers composed for a selection, cached by key.

Layers come from the merchant's preview layers (in drawing order): the base picture; tint
masks coloured by the chosen value's swatch (multiplied, so shading stays); a material's
texture and a design's overlay when that value is chosen; text in the merchant's font,
fitted to its box; the shopper's picture fitted into the print area. Output sizes and
formats come from an allow-list; each output is stored once under its key.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageOps

from catalog.models import OptionSetVersion, PreviewLayer

SIZES = (256, 512, 1024)
FORMATS = {"webp": "WEBP", "png": "PNG", "jpeg": "JPEG"}
CONTENT_TYPES = {"webp": "image/webp", "png": "image/png", "jpeg": "image/jpeg"}


@dataclass(frozen=True)
class Layer:
    kind: str
    group: str
    value: str
    image: Image.Image | None
    font: str
    color: str
    box: tuple[int, int, int, int]


_cache: OrderedDict[int, tuple[tuple[Layer, ...], tuple[int, int]]] = OrderedDict()
_lock = threading.Lock()


def _open(name: str) -> Image.Image | None:
    if not name or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as f:
        image = Image.open(io.BytesIO(f.read()))
        image.load()
    return image.convert("RGBA")


def version_layers(version_id: int) -> tuple[tuple[Layer, ...], tuple[int, int]]:
    """The version's layers with their pictures decoded, kept per process (a small LRU)."""
    with _lock:
        if version_id in _cache:
            _cache.move_to_end(version_id)
            return _cache[version_id]
    rows = (
        PreviewLayer.objects.filter(version_id=version_id)
        .select_related("group", "value")
        .order_by("position", "pk")
    )
    layers = []
    size = (1024, 1024)
    for row in rows:
        image = _open(row.image.name or "" if row.image else "")
        if row.kind == "base" and image is not None:
            size = image.size
        layers.append(
            Layer(
                kind=row.kind,
                group=row.group.code if row.group else "",
                value=row.value.code if row.value else "",
                image=image,
                font=(row.font.name or "") if row.font else "",
                color=row.text_color or "#222222",
                box=(row.x or 0, row.y or 0, row.width or 0, row.height or 0),
            )
        )
    result = (tuple(layers), size)
    with _lock:
        _cache[version_id] = result
        while len(_cache) > 16:
            _cache.popitem(last=False)
    return result


def _swatches(document: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    return {
        (str(g.get("code")), str(v.get("code"))): str(v.get("swatch"))
        for g in document.get("groups", ())
        for v in g.get("values", ())
        if v.get("swatch")
    }


def _tinted(mask: Image.Image, swatch: str) -> Image.Image:
    rgb = tuple(int(swatch[i : i + 2], 16) for i in (1, 3, 5))
    colour = Image.new("RGBA", mask.size, (*rgb, 255))
    tinted = ImageChops.multiply(mask, colour)
    tinted.putalpha(mask.getchannel("A"))
    return tinted


def _text(layer: Layer, text: str, size: tuple[int, int]) -> Image.Image:
    canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    x, y, width, height = layer.box
    if not width or not height:
        return canvas
    text = unicodedata.normalize("NFC", text)
    draw = ImageDraw.Draw(canvas)
    font_file = default_storage.path(layer.font) if layer.font else None
    points = height
    while True:
        font = (
            ImageFont.truetype(font_file, points)
            if font_file
            else ImageFont.load_default(size=points)
        )
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        if (right - left <= width and bottom - top <= height) or points <= 8:
            break
        points = max(8, int(points * 0.9))
    draw.text(
        (x + (width - (right - left)) / 2 - left, y + (height - (bottom - top)) / 2 - top),
        text,
        font=font,
        fill=layer.color,
    )
    return canvas


def _artwork(layer: Layer, data: bytes, size: tuple[int, int]) -> Image.Image:
    canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    x, y, width, height = layer.box
    if not width or not height:
        return canvas
    with Image.open(io.BytesIO(data)) as source:
        art = ImageOps.contain(source.convert("RGBA"), (width, height))
    canvas.paste(art, (x + (width - art.width) // 2, y + (height - art.height) // 2))
    return canvas


def compose(
    *,
    version_id: int,
    document: Mapping[str, Any],
    selection: Mapping[str, Any],
    uploads: Mapping[str, bytes] | None = None,
) -> Image.Image:
    layers, size = version_layers(version_id)
    swatches = _swatches(document)
    image = Image.new("RGBA", size, (247, 244, 239, 255))
    for layer in layers:
        chosen = selection.get(layer.group) if layer.group else None
        chosen_set = set(chosen) if isinstance(chosen, list) else {chosen}
        if layer.kind == "base" and layer.image is not None:
            image.alpha_composite(layer.image)
        elif layer.kind == "tint" and layer.image is not None:
            swatch = next(
                (swatches.get((layer.group, str(v))) for v in chosen_set if v is not None), None
            )
            if swatch:
                image.alpha_composite(_tinted(layer.image, swatch))
        elif layer.kind in ("texture", "overlay") and layer.image is not None:
            if layer.value in chosen_set:
                image.alpha_composite(layer.image)
        elif layer.kind == "text" and isinstance(chosen, str) and chosen:
            image.alpha_composite(_text(layer, chosen, size))
        elif layer.kind == "artwork" and uploads and uploads.get(layer.group):
            image.alpha_composite(_artwork(layer, uploads[layer.group], size))
    return image


def preview_key(version_id: int, selection: Mapping[str, Any], size: int, fmt: str) -> str:
    canonical = json.dumps(
        {"v": version_id, "s": selection, "z": size, "f": fmt},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:40]


def encode_selection(selection: Mapping[str, Any]) -> str:
    raw = json.dumps(selection, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_selection(token: str) -> dict[str, Any]:
    padded = token + "=" * (-len(token) % 4)
    value = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    if not isinstance(value, dict):
        raise ValueError("not an object")
    return value


def preview_render(
    *,
    version: OptionSetVersion,
    document: Mapping[str, Any],
    selection: Mapping[str, Any],
    size: int,
    fmt: str,
    uploads: Mapping[str, bytes] | None = None,
) -> str:
    """The storage name of the rendered preview, rendering it once."""
    if size not in SIZES or fmt not in FORMATS:
        raise ValueError("size or format not allowed")
    key = preview_key(version.pk, selection, size, fmt)
    name = f"previews/{version.pk}/{key}.{fmt}"
    if default_storage.exists(name):
        return name
    image = compose(version_id=version.pk, document=document, selection=selection, uploads=uploads)
    if image.size != (size, size):
        image = image.resize((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if fmt == "jpeg":
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    elif fmt == "webp":
        image.save(out, "WEBP", quality=85, method=1)  # method 4: 3x slower, 20% smaller
    else:
        image.save(out, "PNG", optimize=False)
    try:
        return default_storage.save(name, ContentFile(out.getvalue()))
    except FileExistsError:  # pragma: no cover - a concurrent render stored it first
        return name
