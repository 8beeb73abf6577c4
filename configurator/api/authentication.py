"""Who is calling the API: a token (tills, ERPs, scripts) or the browser's session.

Nothing else: HTTP Basic is not accepted (it would take a password on every request,
without CSRF and outside the login lockout). A session request is checked for CSRF on
every unsafe method, a guest's as well as a signed-in shopper's: a guest's cart, designs,
uploads and checkout hang on the session cookie too.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme, TokenScheme
from rest_framework import authentication, exceptions
from rest_framework.request import Request

logger = logging.getLogger(__name__)

# A key DRF could have made (40 hex digits) or an admin could have typed: printable ASCII,
# no longer than the column. Anything else cannot match a row, and is not sent to the
# database (PostgreSQL refuses NUL in a query and would answer 500).
TOKEN_KEY = re.compile(r"[\x21-\x7e]{1,40}")  # authtoken's key column: max_length=40


class CsrfFailed(exceptions.PermissionDenied):
    default_code = "csrf_failed"


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication; a malformed header or key is a 401, never a 500."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if isinstance(header, str):
            try:
                header.encode("iso-8859-1")
            except UnicodeEncodeError:
                if header[: len(self.keyword) + 1].lower() == f"{self.keyword.lower()} ":
                    raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
                return None
        return super().authenticate(request)

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        if not TOKEN_KEY.fullmatch(key):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(key)


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication, with CSRF checked for guests too.

    DRF checks CSRF only for a signed-in user, so a page on another site could fill a
    guest's cart or place an order with the guest's session cookie. Safe methods pass as
    before (Django's CSRF check lets them through).
    """

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        user = getattr(request._request, "user", None)
        self.enforce_csrf(request)
        if not user or not user.is_active:
            return None
        return (user, None)

    def enforce_csrf(self, request: Request) -> None:
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as refused:
            logger.info("CSRF refused on %s %s: %s", request.method, request.path, refused)
            raise CsrfFailed(str(refused.detail)) from None


class _SessionScheme(SessionScheme):
    """The schema's ``cookieAuth`` for the session authentication above."""

    target_class = "configurator.api.authentication.SessionAuthentication"


class _TokenScheme(TokenScheme):
    """The schema's ``tokenAuth`` for the token authentication above."""

    target_class = "configurator.api.authentication.TokenAuthentication"
