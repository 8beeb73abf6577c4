"""Save, share and reopen designs; keep shoppers' uploads."""

from __future__ import annotations

import logging
import math
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import OptionSetVersion
from configurator.configuring.errors import SelectionCode, SelectionProblem
from configurator.configuring.placement import (
    PLACEMENT_KEY,
    placements_json,
    selection_placements,
)
from configurator.configuring.selection import ImageResolver, selection_parse
from configurator.engine import Engine, ImageInfo, SelectionError
from configurator.uploads.sanitize import E_BUSY, UploadRejected, sanitize_upload

from .errors import UploadRefused
from .models import Design, Upload
from .shoppers import Shopper

logger = logging.getLogger(__name__)

UPLOAD_MAX_BYTES = getattr(settings, "CONFIGURATOR_UPLOAD_MAX_BYTES", 15 * 1024 * 1024)
# 25 megapixels: 300 DPI over 42 × 42 cm, twice the side of the largest print area, and a
# 24-megapixel camera's photo; decoding one costs up to 100 MB (see docs/preview.md).
UPLOAD_MAX_PIXELS = getattr(settings, "CONFIGURATOR_UPLOAD_MAX_PIXELS", 25_000_000)
# Pictures decoded at once per process, and how long an upload waits for its turn (seconds).
UPLOAD_DECODE_CONCURRENCY = getattr(settings, "CONFIGURATOR_UPLOAD_DECODE_CONCURRENCY", 2)
UPLOAD_DECODE_WAIT = getattr(settings, "CONFIGURATOR_UPLOAD_DECODE_WAIT", 5)
_DECODE_SLOTS = threading.BoundedSemaphore(UPLOAD_DECODE_CONCURRENCY)


def upload_create(*, shopper: Shopper, data: bytes) -> Upload:
    """Sanitize and keep a shopper's picture; raises :class:`UploadRefused`, writing nothing."""
    try:
        clean = sanitize_upload(
            data,
            max_bytes=UPLOAD_MAX_BYTES,
            max_pixels=UPLOAD_MAX_PIXELS,
            slots=_DECODE_SLOTS,
            wait=UPLOAD_DECODE_WAIT,
        )
    except UploadRejected as exc:
        busy = exc.code == E_BUSY  # every decoding slot taken: a capacity problem, not the file
        logger.log(logging.WARNING if busy else logging.INFO, "upload refused: %s", exc.code)
        retry_after = max(1, math.ceil(UPLOAD_DECODE_WAIT)) if busy else None
        raise UploadRefused(exc.code, str(exc), "file", retry_after=retry_after) from None
    upload = Upload(
        format=clean.format,
        width=clean.width,
        height=clean.height,
        bytes=len(clean.data),
        **shopper.owner_fields(),
    )
    extension = {"jpeg": "jpg"}.get(clean.format, clean.format)
    upload.file.save(f"{upload.id}.{extension}", ContentFile(clean.data), save=False)
    try:
        upload.save()
    except Exception:
        upload.file.delete(save=False)
        raise
    return upload


def image_resolver(shopper: Shopper) -> ImageResolver:
    """Turns an upload id sent in a selection into what the engine checks."""

    def resolve(group: str, reference: str) -> ImageInfo:
        key = _uuid(reference)
        upload = Upload.objects.filter(shopper.owns(), pk=key).first() if key else None
        if upload is None:
            raise SelectionProblem(
                SelectionCode.UPLOAD_NOT_FOUND,
                _("This picture is not among your uploads; upload it again."),
                f"selection.{group}",
            )
        return ImageInfo(
            bytes=upload.bytes, width=upload.width, height=upload.height, format=upload.format
        )

    return resolve


def _uuid(reference: str) -> str | None:
    import uuid

    try:
        return str(uuid.UUID(str(reference)))
    except ValueError:
        return None


def selection_storable(
    engine: Engine, parsed: Mapping[str, Any], raw: Mapping[str, Any]
) -> dict[str, Any]:
    """A parsed selection as JSON to keep (designs, cart lines): images as their upload ids,
    and where the shopper placed pictures and texts under ``"@placement"`` (only those
    moved, scaled or turned)."""
    stored: dict[str, Any] = {
        code: (raw[code] if engine.groups[code].kind == "image" else value)
        for code, value in parsed.items()
    }
    placements = selection_placements(engine, raw, parsed)
    if placements:
        stored[PLACEMENT_KEY] = placements_json(placements)
    return stored


def design_save(
    *,
    shopper: Shopper,
    version: OptionSetVersion,
    engine: Engine,
    selection: Mapping[str, Any],
    name: str = "",
    language: str = "vi",
    design: Design | None = None,
) -> Design:
    """Create (or update ``design``) after checking the selection; nothing written on refusal.

    Raises :class:`~configurator.configuring.selection.SelectionProblem`.
    """
    parsed = selection_parse(
        engine=engine, raw=selection, resolve_image=image_resolver(shopper), language=language
    )
    stored = selection_storable(engine, parsed, selection)
    if design is None:
        design = Design(product=version.product, version=version, **shopper.owner_fields())
    design.version = version
    design.product = version.product
    design.selection = stored
    design.name = name[:120]
    design.save()
    return design


def design_share(*, design: Design) -> str:
    """The design's share token (made once; sharing again gives the same link)."""
    if not design.share_token:
        design.share_token = secrets.token_urlsafe(16)[:22]
        design.save(update_fields=["share_token", "updated_at"])
    return design.share_token


@transaction.atomic
def designs_claim(*, user_id: int, session_key: str) -> int:
    """Give a guest's designs and uploads to the account they just signed in to or up with.

    Called by the login and sign-up views (not a signal: the flow stays visible).
    """
    if not session_key:
        return 0
    moved = Design.objects.filter(owner__isnull=True, session_key=session_key).update(
        owner_id=user_id, session_key=""
    )
    Upload.objects.filter(owner__isnull=True, session_key=session_key).update(
        owner_id=user_id, session_key=""
    )
    return moved


@dataclass(frozen=True)
class Dropped:
    group: str
    value: Any
    # "removed" (no longer offered), "conflict" (ruled out with the others) or "private"
    # (a shopper's picture, which only they see: the value is None).
    reason: str


def design_reopen(*, design: Design, engine: Engine) -> tuple[dict[str, Any], tuple[Dropped, ...]]:
    """The design's choices that still hold on ``engine`` (the current version), in the
    shopper's order, and the ones that had to go, each with why."""
    return _reopen(design.selection, engine)


@dataclass(frozen=True)
class SharedDesign:
    """A design as anyone but its shopper sees it: never an upload id."""

    selection: dict[str, Any]  # as saved, less the pictures
    current: dict[str, Any]  # what of it still holds on the current version
    dropped: tuple[Dropped, ...]  # the pictures ("private") first, then the rest


def design_reopen_shared(*, design: Design, saved: Engine, engine: Engine) -> SharedDesign:
    """The design reopened for someone else (a share link) on ``engine``, the current version.

    ``saved`` is the engine of the version the design was made on, so a picture group the
    merchant has since removed is still known as one. Each picture is left out and listed as
    dropped for "private", with no value: an upload id would let anyone ask for its picture.
    """
    selection: dict[str, Any] = {}
    private: list[Dropped] = []
    for code, value in design.selection.items():
        group = saved.groups.get(code) or engine.groups.get(code)
        if group is not None and group.kind == "image":
            private.append(Dropped(code, None, "private"))
        else:
            selection[code] = value
    current, dropped = _reopen(selection, engine)
    return SharedDesign(selection, current, (*private, *dropped))


def _reopen(
    selection: Mapping[str, Any], engine: Engine
) -> tuple[dict[str, Any], tuple[Dropped, ...]]:
    kept: dict[str, Any] = {}
    dropped: list[Dropped] = []
    for code, value in selection.items():
        if code == PLACEMENT_KEY:
            continue  # kept below for the pictures and texts that stay
        group = engine.groups.get(code)
        if group is None:
            dropped.append(Dropped(code, value, "removed"))
            continue
        trial = {**kept, code: value}
        try:
            ok = engine.is_consistent(trial)
        except SelectionError:  # an unknown value: the merchant removed or switched it off
            dropped.append(Dropped(code, value, "removed"))
            continue
        if ok:
            kept[code] = value
        else:
            dropped.append(Dropped(code, value, "conflict"))
    placements = selection_placements(engine, selection, kept)
    if placements:
        kept[PLACEMENT_KEY] = placements_json(placements)
    return kept, tuple(dropped)
