"""Shoppers' pictures, made safe: sniffed, bounded, re-encoded, stripped.

Pure (no Django): bytes in, bytes out. The type comes from the content, never the name;
only PNG, JPEG and WebP pass; the pixel count is checked from the header before anything is
decoded (decompression bombs); EXIF orientation is applied, then every piece of metadata is
dropped by re-encoding the pixels alone.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED = {"PNG": "png", "JPEG": "jpeg", "WEBP": "webp"}
MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
)


class UploadRejected(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class SanitizedImage:
    data: bytes
    format: str  # "png", "jpeg" or "webp"
    width: int
    height: int


def sniff(data: bytes) -> str | None:
    for magic, name in MAGIC:
        if data.startswith(magic):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def sanitize_upload(data: bytes, *, max_bytes: int, max_pixels: int) -> SanitizedImage:
    if len(data) > max_bytes:
        raise UploadRejected("upload.E001", f"The file is larger than {max_bytes} bytes.")
    kind = sniff(data)
    if kind is None:
        raise UploadRejected("upload.E002", "Upload a PNG, JPEG or WebP picture.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != kind:
                    raise UploadRejected("upload.E002", "Upload a PNG, JPEG or WebP picture.")
                width, height = probe.size
                if width * height > max_pixels:
                    raise UploadRejected(
                        "upload.E003",
                        f"The picture has too many pixels ({width}×{height}).",
                    )
                probe.load()
                image = ImageOps.exif_transpose(probe)
                image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected("upload.E003", "The picture has too many pixels.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise UploadRejected("upload.E004", "The picture is damaged or truncated.") from None
    out = io.BytesIO()
    name = ALLOWED[kind]
    clean = image.copy()
    clean.info = {}  # no EXIF, no ICC, no text chunks: only pixels go out
    if name == "jpeg":
        clean.convert("RGB").save(out, "JPEG", quality=92, optimize=True)
    elif name == "webp":
        clean.save(out, "WEBP", quality=92)
    else:
        clean.save(out, "PNG", optimize=True)
    return SanitizedImage(out.getvalue(), name, clean.width, clean.height)
