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
from django.http import FileResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

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


def private_locate(name: str | None) -> Storage | None:
    """The storage holding a private file, or None when it is nowhere.

    Looks in the private storage, then where such files were kept before it (the default
    storage): files from before the move keep working, server-side only.
    """
    if not name:
        return None
    for storage in (private_storage(), default_storage):
        if storage.exists(name):
            return storage
    logger.warning("Private file %s is missing from every storage", name)
    return None


def private_open(name: str | None) -> File | None:
    """A private file opened for reading (see :func:`private_locate`), or None."""
    storage = private_locate(name)
    return storage.open(name, "rb") if storage is not None and name else None


def is_remote(storage: Storage) -> bool:
    """Whether the storage is object storage (no local path: S3 and the like)."""
    try:
        storage.path("probe")
    except NotImplementedError:
        return True
    return False


def stored_file_response(
    storage: Storage,
    name: str,
    *,
    private: bool,
    content_type: str | None = None,
    attachment: str | None = None,
    cache_control: str = "",
) -> HttpResponseBase:
    """Serve a stored file to someone already allowed to have it.

    From a local folder the file is streamed. From object storage the answer is a redirect:
    public files to their bucket or CDN URL (cacheable like the file), private ones to a
    signed URL that expires within minutes (never cached), so no web process carries the
    bytes and no private file ever has a lasting URL.
    """
    if is_remote(storage):
        parameters = {}
        if attachment:
            parameters["ResponseContentDisposition"] = content_disposition_header(True, attachment)
        if content_type:
            parameters["ResponseContentType"] = content_type
        remote: Any = storage  # S3Storage.url takes the response's headers as parameters
        url = remote.url(name, parameters=parameters) if private else storage.url(name)
        response: HttpResponseBase = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store" if private else cache_control
        return response
    response = FileResponse(
        storage.open(name, "rb"),
        content_type=content_type,
        as_attachment=bool(attachment),
        filename=attachment or "",
    )
    if cache_control:
        response["Cache-Control"] = cache_control
    return response


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
