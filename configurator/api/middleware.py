"""Cached previews served before the rest of the stack, the way WhiteNoise serves files.

A preview's URL names the product, the version, the size, the format and the selection, so
its picture never changes: once rendered and stored, serving it is serving a file. This
middleware sits right after WhiteNoise and answers a GET for a stored public preview
without sessions, language, CSRF, DRF or throttling; anything else (a preview not rendered
yet, one showing a shopper's picture, a bad URL) goes on to the API view, which renders,
checks and throttles.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponseBase

from catalog.models import OptionSetVersion
from configurator.configuring.previews import (
    CONTENT_TYPES,
    FORMATS,
    SIZES,
    decode_selection,
    preview_name,
)
from configurator.configuring.selectors import published_version_get
from configurator.metrics import PREVIEWS
from configurator.storage import stored_file_response

PREVIEW_PATH = re.compile(
    r"^/api/v1/products/(?P<sku>[^/]+)/preview/(?P<number>\d+)/(?P<size>\d+)\.(?P<fmt>[a-z]+)$"
)
VIEW_CODE = re.compile(r"^[A-Za-z0-9_.\-]{0,64}$")
CACHE_CONTROL = "public, max-age=31536000, immutable"


def cached_preview_name(path: str, token: str, view: str = "") -> str | None:
    """The stored public preview a URL names, if there is one."""
    match = PREVIEW_PATH.match(path)
    if match is None or not token:
        return None
    size, fmt = int(match["size"]), match["fmt"]
    if size not in SIZES or fmt not in FORMATS:
        return None
    try:
        selection = decode_selection(token)
        version = published_version_get(sku=match["sku"], number=int(match["number"]))
    except (ValueError, UnicodeDecodeError, OptionSetVersion.DoesNotExist):
        return None
    if not VIEW_CODE.match(view):
        return None
    name = preview_name(version.pk, selection, size, fmt, view=view)
    return name if default_storage.exists(name) else None


class CachedPreviewMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in ("GET", "HEAD") and request.path_info.startswith("/api/v1/"):
            name = cached_preview_name(
                request.path_info, request.GET.get("s", ""), request.GET.get("v", "")
            )
            if name is not None:
                PREVIEWS.labels("hit").inc()
                fmt = name.rsplit(".", 1)[1]
                return stored_file_response(
                    default_storage,
                    name,
                    private=False,
                    content_type=CONTENT_TYPES[fmt],
                    cache_control=CACHE_CONTROL,
                )
        return self.get_response(request)
