"""The answer to a sign-in refused by the lockout (django-axes), in the page's language."""

from __future__ import annotations

import logging
import math
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """429 with the locked-out page and ``Retry-After`` (django-axes' ``AXES_LOCKOUT_CALLABLE``).

    The username and address are not echoed: the page says only when to try again.
    """
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    logger.warning("Sign-in locked out on %s from %s", request.path, request.axes_ip_address)  # type: ignore[attr-defined]
    response = render(
        request,
        "accounts/locked_out.html",
        {"minutes": max(1, math.ceil(seconds / 60))},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response
