"""Decoded and prepared pictures, kept per process in one memory-bounded LRU.

A render should not decode a merchant's PNG: pictures are decoded once, scaled once per
output size and cropped to what they cover, then reused by every selection. Entries are
keyed by the source's identity: a path with its modification time and size (an edited file
is read again), or the bytes object itself (hashed once by Python, compared on collision).
"""

from __future__ import annotations

import io
import os
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

from PIL import Image, ImageChops, ImageOps, UnidentifiedImageError

from .spec import PreviewError, Problem, Source

T = TypeVar("T")

#: Merchant pictures must be one of these (sniffed by Pillow from the content).
LAYER_FORMATS = ("PNG", "WEBP", "JPEG")
#: A layer picture larger than this is refused (a merchant's file, not a shopper's).
MAX_LAYER_PIXELS = 36_000_000


@dataclass(frozen=True)
class Placed:
    """A picture ready to draw: cropped to what it covers, with its offset on the canvas."""

    image: Image.Image  # RGBA
    offset: tuple[int, int]


class _Cache:
    """A thread-safe LRU whose budget is the bytes of the pictures it holds."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.used = 0
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T], cost: Callable[[T], int]) -> T:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return found[0]  # type: ignore[return-value]
            self.misses += 1
        value = make()  # outside the lock: two threads may both make it, both are equal
        size = cost(value)
        with self._lock:
            if key not in self._items and size <= self.budget:
                self._items[key] = (value, size)
                self.used += size
                while self.used > self.budget:
                    _, (_, dropped) = self._items.popitem(last=False)
                    self.used -= dropped
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.used = self.hits = self.misses = 0


CACHE = _Cache(budget=192 * 1024 * 1024)


def set_cache_budget(nbytes: int) -> None:
    """How many bytes of decoded pictures a process keeps (default 192 MiB)."""
    CACHE.budget = nbytes
    CACHE.clear()


def clear_caches() -> None:
    CACHE.clear()


def image_bytes(image: Image.Image | None) -> int:
    if image is None:
        return 0
    return image.width * image.height * len(image.getbands())


def placed_bytes(placed: Placed | None) -> int:
    return image_bytes(placed.image) if placed is not None else 0


def source_id(source: Source) -> Hashable:
    """The identity of a picture or font: what it is now, not where it was found."""
    if isinstance(source, bytes):
        return ("bytes", source)
    path = os.fspath(source)
    try:
        stat = os.stat(path)
    except OSError:
        return ("path", path, None, None)
    return ("path", path, stat.st_mtime_ns, stat.st_size)


def _read(source: Source) -> bytes:
    if isinstance(source, bytes):
        return source
    with open(os.fspath(source), "rb") as handle:
        return handle.read()


def decode(source: Source, *, path: str, formats: tuple[str, ...] = LAYER_FORMATS) -> Image.Image:
    """The picture, loaded, with its EXIF orientation applied; PreviewError if unreadable."""

    def make() -> Image.Image:
        return _decode_now(source, path=path, formats=formats)

    return CACHE.get(("decoded", source_id(source)), make, image_bytes)


def _decode_now(source: Source, *, path: str, formats: tuple[str, ...]) -> Image.Image:
    try:
        data = _read(source)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(formats)) as opened:
                if opened.width * opened.height > MAX_LAYER_PIXELS:
                    raise Image.DecompressionBombError("too many pixels")
                opened.load()
                image = ImageOps.exif_transpose(opened)
    except (
        OSError,
        UnidentifiedImageError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        problem = Problem("preview.E008", path, f"The picture cannot be read ({exc}).")
        raise PreviewError([problem]) from None
    if image.mode not in ("RGBA", "RGB", "L", "LA"):  # palette, CMYK, 16-bit...
        image = image.convert("RGBA")
    image.info = {}
    return image


def at_canvas(image: Image.Image, canvas: tuple[int, int]) -> Image.Image:
    """The layer drawn on the base's canvas, scaled to the output canvas."""
    if image.size == canvas:
        return image
    return image.resize(canvas, Image.Resampling.LANCZOS, reducing_gap=3.0)


def as_rgba(image: Image.Image) -> Image.Image:
    return image if image.mode == "RGBA" else image.convert("RGBA")


def crop_to_content(image: Image.Image) -> Placed | None:
    """The RGBA picture cropped to its non-transparent part; None when it is empty."""
    bbox = image.getchannel("A").getbbox()
    if bbox is None:
        return None
    if bbox == (0, 0, image.width, image.height):
        return Placed(image, (0, 0))
    return Placed(image.crop(bbox), (bbox[0], bbox[1]))


#: Alpha below half is shadow or haze, not the product: a texture does not go there.
_CORE = [0 if v < 128 else min(255, (v - 128) * 2 + 1) for v in range(256)]


def silhouette(sources: tuple[tuple[Source, str], ...], canvas: tuple[int, int]) -> Image.Image:
    """Where the base layers are the product (at least half opaque), at the canvas size.

    Mode L: 0 below half opacity, then ramping to 255 at full opacity, so a texture clipped
    by it skips soft shadows and keeps antialiased edges.
    """

    def make() -> Image.Image:
        union = Image.new("L", canvas, 0)
        for source, path in sources:
            image = as_rgba(at_canvas(decode(source, path=path), canvas))
            union = ImageChops.lighter(union, image.getchannel("A"))
        return union.point(_CORE)

    key = ("silhouette", tuple(source_id(s) for s, _ in sources), canvas)
    return CACHE.get(key, make, image_bytes)
