"""Public media served by Django itself (DEBUG and the demo; in production the web server
or CDN serves MEDIA_ROOT): merchant pictures, value thumbnails, public previews.

Only ``MEDIA_ROOT`` is ever read, never the private storage; names of the kinds that are
private (left there by versions before the private storage) are not found either.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe
from django.views.static import serve

from configurator.storage import is_private_name

logger = logging.getLogger(__name__)

CACHE_CONTROL = "public, max-age=3600"


@require_safe
def public_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """A file under MEDIA_ROOT, unless its name is of a private kind (then 404)."""
    if is_private_name(path):
        logger.warning("Refused to serve private media name %s", path)
        raise Http404(path)
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = CACHE_CONTROL
    return response
