"""Where shoppers' pictures live: a private storage, apart from the public media.

A shopper's upload and everything made from it (previews showing it, the order's copy, the
production package with the print artwork) is kept in ``STORAGES["private"]``: a folder
outside ``MEDIA_ROOT`` with no URL at all, or a bucket read through short-lived signed URLs.
Only views that check who asks (the owner, a signed partner link) read these files.

Files written before the private storage existed sit in the default storage under
``uploads/``, ``orders/``, ``production/`` and ``previews/<version>/private/``;
:func:`private_open` still reads them there, and :data:`PRIVATE_PREFIXES` tells the public
media view never to serve them.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage, storages

logger = logging.getLogger(__name__)

# Names that are private wherever they are found (their old home was the public media).
PRIVATE_PREFIXES = ("uploads/", "orders/", "production/")
PRIVATE_PREVIEW = re.compile(r"^previews/[^/]+/private/")


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder of private files: it has no URL, so no template can link to one by mistake."""

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Private files have no URL; serve them from a view.")


def private_storage() -> Storage:
    """The private storage (also the ``storage`` callable of ``Upload.file``)."""
    return storages["private"]


def is_private_name(name: str) -> bool:
    """Whether a storage name is one of the kinds kept private (in any storage)."""
    name = name.lstrip("/")
    return name.startswith(PRIVATE_PREFIXES) or PRIVATE_PREVIEW.match(name) is not None


def private_open(name: str | None) -> File | None:
    """A private file opened for reading, or None when it is nowhere.

    Looks in the private storage, then where such files were kept before it (the default
    storage): files from before the move keep working, server-side only.
    """
    if not name:
        return None
    for storage in (private_storage(), default_storage):
        if storage.exists(name):
            return storage.open(name, "rb")
    logger.warning("Private file %s is missing from every storage", name)
    return None


def private_read(name: str | None) -> bytes | None:
    """A private file's bytes (see :func:`private_open`), or None when it is nowhere."""
    handle = private_open(name)
    if handle is None:
        return None
    with handle:
        return bytes(handle.read())


def check_private_root(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``configurator.E001``: the private folder and MEDIA_ROOT must not overlap."""
    backend: dict[str, Any] = getattr(settings, "STORAGES", {}).get("private", {})
    location = backend.get("OPTIONS", {}).get("location")
    if not location or not settings.MEDIA_ROOT:
        return []
    private = Path(location).resolve()
    public = Path(settings.MEDIA_ROOT).resolve()
    if private == public or public in private.parents or private in public.parents:
        return [
            checks.Error(
                "The private storage's folder overlaps MEDIA_ROOT.",
                hint="Set DJANGO_PRIVATE_MEDIA_ROOT to a folder outside DJANGO_MEDIA_ROOT.",
                id="configurator.E001",
            )
        ]
    return []
