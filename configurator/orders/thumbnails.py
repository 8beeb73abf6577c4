"""An order line's thumbnail, drawn once from its snapshot and kept with the order.

The snapshot names the version (published, never changes), the selection and the copies of
the shopper's pictures (``OrderLine.files``), so the picture is the design the shopper
ordered even after the upload or the saved design is deleted. It is kept under
``orders/`` in the private storage: only the order's shopper is ever served it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.base import ContentFile

from catalog.selectors import option_set_document
from configurator.compilation.selectors import NotCompiledYet, engine_for_version
from configurator.configuring.previews import version_layers
from configurator.designs.display import THUMBNAIL_FORMAT, THUMBNAIL_SIZE
from configurator.preview import compose_preview, encode
from configurator.storage import private_read, private_storage

from .models import OrderLine

logger = logging.getLogger(__name__)


def order_line_thumbnail_name(line: OrderLine, number: str) -> str:
    return f"orders/{number}/{line.position}-thumbnail.{THUMBNAIL_FORMAT}"


def order_line_thumbnail(*, line: OrderLine, number: str) -> str:
    """The private storage name of the line's thumbnail, drawing it the first time."""
    storage = private_storage()
    name = order_line_thumbnail_name(line, number)
    if storage.exists(name):
        return name
    uploads: dict[str, bytes] = {}
    for copied in line.files:
        data = private_read(copied.get("path"))
        if data is None:  # logged by private_read; the design is drawn without it
            continue
        uploads[str(copied.get("group"))] = data
    image = compose_preview(
        layers=version_layers(line.version_id, _document(line.version_id)),
        selection=dict(line.selection),
        size=THUMBNAIL_SIZE,
        uploads=uploads,
    )
    try:
        return storage.save(name, ContentFile(encode(image, format=THUMBNAIL_FORMAT)))
    except FileExistsError:  # pragma: no cover - a concurrent request stored it first
        return name


def _document(version_id: int) -> dict[str, Any]:
    """The version's document (its swatches colour the tint layers)."""
    try:
        return dict(engine_for_version(version_id=version_id).presentation)
    except NotCompiledYet:
        from catalog.models import OptionSetVersion

        logger.info("version %s not compiled: its thumbnail reads the document", version_id)
        return option_set_document(version=OptionSetVersion.objects.get(pk=version_id))
