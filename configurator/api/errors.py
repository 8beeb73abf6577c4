"""API errors: always ``{"code", "detail", "field"}``, with the HTTP status that fits.

An error that stands for several problems (the bad lines of an import) names the first one
in ``code``/``field`` and lists them all, in the same shape, under ``errors``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


class APIError(exceptions.APIException):
    """An error with a stable machine code and the offending field (a dotted path)."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(
        self,
        code: str,
        detail: str,
        field: str | None = None,
        status_code: int | None = None,
        errors: list[dict[str, Any]] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(detail=detail, code=code)
        self.error_code = code
        self.field = field
        self.errors = errors
        self.retry_after = retry_after  # seconds, sent as Retry-After
        if status_code is not None:
            self.status_code = status_code  # type: ignore[assignment]


def _first_field_error(detail: Any, prefix: str = "") -> tuple[str, str, str]:
    """(field, message, code) of the first error in a DRF validation error tree."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = str(key) if key != "non_field_errors" else ""  # list items: 0, 1, …
            path = f"{prefix}.{name}" if prefix and name else (name or prefix)
            return _first_field_error(value, path)
    if isinstance(detail, list) and detail:
        return _first_field_error(detail[0], prefix)
    code = getattr(detail, "code", "invalid")
    return prefix, str(detail), str(code)


def error_body(exc: APIError) -> dict[str, Any]:
    body: dict[str, Any] = {"code": exc.error_code, "detail": str(exc.detail), "field": exc.field}
    if exc.errors is not None:
        body["errors"] = exc.errors
    return body


def _request_refusal(exc: Exception) -> APIError | None:
    """Django's refusals of a request body, as API errors (Django would answer an HTML page)."""
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        logger.info("Request refused: %s", exc)
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return APIError(
            "request.too_large",
            _("The request body is larger than %(limit)s bytes.") % {"limit": limit},
            None,
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return APIError("request.too_many_fields", _("The form has too many fields or files."))
    return None


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _request_refusal(exc) or exc
    if isinstance(exc, APIError):
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
        return Response(error_body(exc), status=exc.status_code, headers=headers)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        field, message, code = _first_field_error(exc.detail)
        response.data = {"code": f"request.{code}", "detail": message, "field": field or None}
    else:
        detail = getattr(exc, "detail", str(exc))
        code = getattr(detail, "code", None) or exc.__class__.__name__.lower()
        response.data = {"code": f"request.{code}", "detail": str(detail), "field": None}
    return response
