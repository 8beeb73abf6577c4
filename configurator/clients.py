"""Who is asking: the client's address, as far as the proxies in front of us can be trusted.

``CONFIGURATOR_TRUSTED_PROXIES`` says how many proxies stand in front of the web process and
append to ``X-Forwarded-For`` (0: none, the default; 1: one nginx). With 0 the header is
ignored, since anybody can send it; with N the address is the N-th from the right, the one
the outermost trusted proxy saw. The API's throttles and the login lockout (django-axes)
both key on this address, so one rule decides both.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


def client_address(request: Any) -> str:
    """The client's address (``REMOTE_ADDR`` unless trusted proxies forwarded another).

    The same rule as DRF's ``BaseThrottle.get_ident`` with ``NUM_PROXIES`` set.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies: int = settings.CONFIGURATOR_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote
    addresses = forwarded.split(",")
    return addresses[-min(proxies, len(addresses))].strip() or remote


def behind_trusted_proxy() -> bool:
    """Whether requests come through proxies we trust to set request headers.

    With ``CONFIGURATOR_TRUSTED_PROXIES`` above 0 every request reaches the web process
    through them, and they overwrite what a client sent (``X-Forwarded-For``,
    ``X-Request-ID``); with 0 such headers come from whoever asks and are not believed.
    """
    proxies: int = settings.CONFIGURATOR_TRUSTED_PROXIES
    return proxies > 0
