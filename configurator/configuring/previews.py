"""Live preview: the version's layers composed for a selection, stored once per key.

The drawing is done by the pure compositor in :mod:`configurator.preview`; this module turns
the merchant's ``PreviewLayer`` rows into its layer specs (once per version and process),
names each output by its key and keeps it in storage, so a picture is rendered once.
"""

from __future__ import annotations

import base64
import functools
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from catalog.models import OptionSetVersion, OptionValue, PreviewLayer, ProductView
from configurator.metrics import PREVIEWS
from configurator.preview import CONTENT_TYPES, FORMATS, SIZES, LayerSpec, preview_key
from configurator.preview import compose_preview as compose
from configurator.preview import encode as encode_image
from configurator.preview.compositor import native_size
from configurator.preview.samples import encoded, photo
from configurator.preview.spec import DEFAULT_TEXT_COLOR, Source
from configurator.storage import private_storage

from .evaluation import localized

__all__ = [
    "CONTENT_TYPES",
    "FORMATS",
    "SIZES",
    "UnknownView",
    "ViewLayers",
    "compose",
    "decode_selection",
    "draft_preview_image",
    "encode_selection",
    "layer_preview_image",
    "placement_boxes",
    "preview_key",
    "preview_name",
    "preview_render",
    "preview_storage",
    "studio_views",
    "version_layers",
    "version_views",
    "views_of",
]


@dataclass(frozen=True)
class ViewLayers:
    """A version's views in order (``(code, names, prints)``) and each view's layer specs."""

    views: tuple[tuple[str, dict[str, str], bool], ...]
    layers: Mapping[str, tuple[LayerSpec, ...]]

    @property
    def first(self) -> str:
        return self.views[0][0] if self.views else ""

    def of(self, view: str = "") -> tuple[LayerSpec, ...]:
        """The layers of ``view`` ("": the first). Raises :class:`UnknownView`."""
        code = view or self.first
        if view and view not in self.layers:
            raise UnknownView(view)
        return self.layers.get(code, ())


class UnknownView(ValueError):
    """The version has no view of that code."""


_cache: OrderedDict[int, ViewLayers] = OrderedDict()
_lock = threading.Lock()


def _source(field: FieldFile | str | None) -> Source | None:
    """A stored picture or font (a file field or its storage name) as the compositor reads
    it: a local path, else its bytes."""
    name = field if isinstance(field, str) else field.name if field else ""
    if not name or not default_storage.exists(name):
        return None
    try:
        return str(default_storage.path(name))
    except NotImplementedError:  # remote storage (S3): read once, kept with the version
        with default_storage.open(name, "rb") as handle:
            return bytes(handle.read())


def version_views(version_id: int, document: Mapping[str, Any]) -> ViewLayers:
    """The version's views and their layer specs (a published version never changes), kept
    per process."""
    with _lock:
        if version_id in _cache:
            _cache.move_to_end(version_id)
            return _cache[version_id]
    result = _layers_read(version_id, document)
    with _lock:
        _cache[version_id] = result
        while len(_cache) > 16:
            _cache.popitem(last=False)
    return result


def version_layers(
    version_id: int, document: Mapping[str, Any], view: str = ""
) -> tuple[LayerSpec, ...]:
    """The layer specs of one view of the version ("": its first view)."""
    return version_views(version_id, document).of(view)


def _layers_read(version_id: int, document: Mapping[str, Any]) -> ViewLayers:
    """The version's views and layer specs as its rows are now (two queries)."""
    swatches = {
        str(group.get("code")): {
            str(value.get("code")): str(value.get("swatch"))
            for value in group.get("values", ())
            if value.get("swatch")
        }
        for group in document.get("groups", ())
    }
    views = tuple(
        (view.code, view.names, view.prints)
        for view in ProductView.objects.filter(version_id=version_id).order_by("position", "pk")
    )
    first = views[0][0] if views else ""
    by_view: dict[str, list[LayerSpec]] = {code: [] for code, _names, _prints in views}
    rows = (
        PreviewLayer.objects.filter(version_id=version_id)
        .select_related("group", "value", "view", "color_group", "font_group")
        .order_by("position", "pk")
    )
    # The fonts of the values a text layer takes its font from (a font library's values
    # carry theirs under extensions["font"], a storage name).
    fonts: dict[str, dict[str, Source]] = {}
    font_groups = PreviewLayer.objects.filter(version_id=version_id, font_group__isnull=False)
    values = OptionValue.objects.filter(group_id__in=font_groups.values("font_group_id"))
    for value in values.select_related("group") if font_groups.exists() else ():
        source = _source(str((value.extensions or {}).get("font") or ""))
        if source is not None:
            fonts.setdefault(value.group.code, {})[value.code] = source
    for row in rows:
        spec = _spec(row, swatches, fonts)
        if spec is not None:  # a layer without a view belongs to the first one
            by_view.setdefault(row.view.code if row.view else first, []).append(spec)
    return ViewLayers(views=views, layers={code: tuple(specs) for code, specs in by_view.items()})


def _spec(
    row: PreviewLayer,
    swatches: Mapping[str, Mapping[str, str]],
    fonts: Mapping[str, Mapping[str, Source]],
) -> LayerSpec | None:
    """The compositor's spec of one layer row; None when it would draw nothing."""
    group = row.group.code if row.group else ""
    image = _source(row.image)
    if row.kind in ("base", "tint", "texture", "overlay") and image is None:
        return None  # a layer whose picture is missing draws nothing
    box = None
    if row.kind in ("text", "artwork"):
        if not row.width or not row.height:
            return None
        box = (row.x or 0, row.y or 0, row.width, row.height)
    color_group = row.color_group.code if row.kind == "text" and row.color_group else ""
    font_group = row.font_group.code if row.kind == "text" and row.font_group else ""
    return LayerSpec(
        kind=row.kind,
        image=image,
        group=group,
        value=row.value.code if row.value else "",
        swatches=swatches.get(group if row.kind == "tint" else color_group, {}),
        box=box,
        font=_source(row.font),
        text_color=row.text_color or DEFAULT_TEXT_COLOR,
        color_group=color_group,
        font_group=font_group,
        fonts=fonts.get(font_group, {}),
    )


def placement_boxes(
    version_id: int, document: Mapping[str, Any], view: str = ""
) -> dict[str, list[float]]:
    """Where each placeable group's box lies on the preview of ``view`` ("": the first), as
    fractions of the picture (left, top, width, height): the studio draws its handles there."""
    layers = version_layers(version_id, document, view)
    width, height = native_size(layers)
    boxes: dict[str, list[float]] = {}
    for layer in layers:
        box = layer.region
        if layer.kind in ("text", "artwork") and box is not None and layer.group not in boxes:
            boxes[layer.group] = [
                round(box.x / width, 5),
                round(box.y / height, 5),
                round(box.width / width, 5),
                round(box.height / height, 5),
            ]
    return boxes


def placement_boxes_by_view(
    version_id: int, document: Mapping[str, Any]
) -> dict[str, dict[str, list[float]]]:
    """Each view's code → :func:`placement_boxes` of that view: the studio's frame follows
    the view shown (a group a view does not show has no frame there)."""
    return {
        code: placement_boxes(version_id, document, code)
        for code, _names, _prints in version_views(version_id, document).views
    }


def draft_preview_image(
    *,
    version: OptionSetVersion,
    document: Mapping[str, Any],
    selection: Mapping[str, Any],
    size: int,
    fmt: str,
    uploads: Mapping[str, bytes] | None = None,
    view: str = "",
) -> bytes:
    """A draft's preview of ``view`` ("": the first), from its layers as they are now:
    neither kept nor cached (a draft changes with each save). Also for the admin's picture
    of a version's layers. Raises :class:`UnknownView`."""
    if size not in SIZES or fmt not in FORMATS:
        raise ValueError("size or format not allowed")
    layers = _layers_read(version.pk, document).of(view)
    image = compose(layers=layers, selection=selection, size=size, uploads=uploads)
    return encode_image(image, format=fmt)


def encode_selection(selection: Mapping[str, Any]) -> str:
    raw = json.dumps(selection, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_selection(token: str) -> dict[str, Any]:
    padded = token + "=" * (-len(token) % 4)
    value = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    if not isinstance(value, dict):
        raise ValueError("not an object")
    return value


def preview_name(
    version_id: int,
    selection: Mapping[str, Any],
    size: int,
    fmt: str,
    *,
    private: bool = False,
    view: str = "",
) -> str:
    """The storage name of a selection's preview of ``view`` (in :func:`preview_storage`);
    the first view ("") keeps the name previews had before views.

    Previews showing a shopper's own picture are ``private``: kept apart, in the private
    storage, so that only the view (which checks whose picture it is) ever serves them,
    never the cached fast path nor the public media.
    """
    folder = f"previews/{version_id}/private" if private else f"previews/{version_id}"
    suffix = f"-{view}" if view else ""
    return f"{folder}/{preview_key(version_id, selection, size, fmt)}{suffix}.{fmt}"


def preview_storage(*, private: bool) -> Storage:
    """Where previews are kept: those showing a shopper's picture in the private storage."""
    return private_storage() if private else default_storage


def preview_render(
    *,
    version: OptionSetVersion,
    document: Mapping[str, Any],
    selection: Mapping[str, Any],
    size: int,
    fmt: str,
    uploads: Mapping[str, bytes] | None = None,
    view: str = "",
) -> str:
    """The storage name of the rendered preview of ``view`` ("": the first), rendering it
    once; it is kept in ``preview_storage(private=bool(uploads))``. Raises
    :class:`UnknownView`."""
    if size not in SIZES or fmt not in FORMATS:
        raise ValueError("size or format not allowed")
    layers = version_layers(version.pk, document, view)
    private = bool(uploads)
    storage = preview_storage(private=private)
    name = preview_name(version.pk, selection, size, fmt, private=private, view=view)
    if storage.exists(name):
        PREVIEWS.labels("hit").inc()
        return name
    PREVIEWS.labels("render").inc()
    image = compose(
        layers=layers,
        selection=selection,
        size=size,
        uploads=uploads,
    )
    try:
        return storage.save(name, ContentFile(encode_image(image, format=fmt)))
    except FileExistsError:  # pragma: no cover - a concurrent render stored it first
        return name


def preview_url(
    version: OptionSetVersion, engine: Any, raw_selection: dict[str, Any], view: str = ""
) -> str:
    """Where the studio fetches the preview of ``raw_selection`` (a stable, cacheable URL),
    of ``view`` ("": the first view, whose URL names none)."""
    path = _preview_path(version.product.sku, version.number)
    url = f"{path}?s={encode_selection(raw_selection)}"
    return f"{url}&v={view}" if view else url


def views_of(version: OptionSetVersion, document: Mapping[str, Any]) -> ViewLayers:
    """The version's views: kept per process for a published version, read for a draft."""
    if version.is_published:
        return version_views(version.pk, document)
    return _layers_read(version.pk, document)


def studio_views(
    *, version: OptionSetVersion, url: str, language: str, current: str
) -> list[dict[str, Any]]:
    """The views the studio offers (none when there is only one; one query): code, name in
    ``language``, the preview URL of each (``url`` is the first view's), which is shown
    (``current`` when it is one of them, else the first)."""
    rows = list(
        ProductView.objects.filter(version=version)
        .order_by("position", "pk")
        .values_list("code", "name_vi", "name_en")
    )
    if len(rows) < 2:
        return []
    codes = [code for code, _vi, _en in rows]
    shown = current if current in codes else codes[0]
    return [
        {
            "code": code,
            "name": (name_en if language == "en" else "") or name_vi,
            "url": url if n == 0 else f"{url}&v={code}",
            "current": code == shown,
        }
        for n, (code, name_vi, name_en) in enumerate(rows)
    ]


@functools.lru_cache(maxsize=1024)
def _preview_path(sku: str, number: int) -> str:
    return reverse("api:preview", args=[sku, number, 512, "webp"])


LAYER_PREVIEW_SIZE = 512


@functools.lru_cache(maxsize=1)
def _sample_picture() -> bytes:
    """The picture shown in artwork regions of the admin's layer preview."""
    return encoded(photo(800, 600))


def layer_preview_image(
    *, version: OptionSetVersion, engine: Any, language: str, view: str = ""
) -> bytes:
    """The version's preview layers as they are now, composed with its default choices,
    each text group's name as the text and a sample picture in each artwork region: where
    each layer lands, for the merchant (PNG, never kept)."""
    selection = dict(engine.complete({}))
    uploads: dict[str, bytes] = {}
    for code, group in engine.groups.items():
        if group.kind == "text":
            selection[code] = localized(group.name, language) or code
        elif group.kind == "image":
            selection[code] = "sample"
            uploads[code] = _sample_picture()
    return draft_preview_image(
        version=version,
        document=engine.presentation,
        selection=selection,
        size=LAYER_PREVIEW_SIZE,
        fmt="png",
        uploads=uploads,
        view=view,
    )
