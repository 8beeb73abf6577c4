"""The API's throttle: DRF's scoped rates, keyed on :func:`configurator.clients.client_address`."""

from __future__ import annotations

from typing import Any

from rest_framework import throttling

from configurator.clients import client_address


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """DRF's ``ScopedRateThrottle``; an anonymous client is its address behind the trusted
    proxies (``CONFIGURATOR_TRUSTED_PROXIES``), never an ``X-Forwarded-For`` it made up."""

    def get_ident(self, request: Any) -> str:
        return client_address(request)
