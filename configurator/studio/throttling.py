"""The studio form's throttle: the API's scoped rates (``evaluate``, ``upload``), so a
shopper without JavaScript posts no more than the script could call the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework import throttling

from configurator.clients import client_address

from .errors import FormRefused, StudioCode


class _Scoped(throttling.ScopedRateThrottle):
    def get_ident(self, request: Any) -> str:
        return client_address(request)


class _Scope:
    def __init__(self, scope: str) -> None:
        self.throttle_scope = scope


def form_throttle(request: HttpRequest, *, upload: bool) -> None:
    """Counts one form post (and one upload when ``upload``); raises :class:`FormRefused`
    when this client went over a rate, before anything is read or written."""
    for scope in ("evaluate", "upload") if upload else ("evaluate",):
        throttle = _Scoped()
        if not throttle.allow_request(request, _Scope(scope)):  # type: ignore[arg-type]
            wait = throttle.wait()
            raise FormRefused(
                StudioCode.THROTTLED,
                _("Too many requests; please wait a moment and try again."),
                None,
                retry_after=int(wait) + 1 if wait else None,
            )
