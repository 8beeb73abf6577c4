"""API errors: always ``{"code", "detail", "field"}``, with the HTTP status that fits.

Every refusal is an :class:`~configurator.errors.ApplicationError`; this module alone turns
its code into an HTTP status (:data:`STATUS_BY_CODE`), for DRF's path (the exception
handler) and for the lean evaluate path alike.

An error that stands for several problems (the bad lines of an import) names the first one
in ``code``/``field`` and lists them all, in the same shape, under ``errors``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response

from configurator.compilation.errors import CompilationCode
from configurator.configuring.errors import SelectionCode, SelectionProblem
from configurator.designs.errors import UploadCode
from configurator.errors import ApplicationError
from configurator.orders.errors import CheckoutCode

logger = logging.getLogger(__name__)


class APIError(ApplicationError):
    """A refusal of the API layer itself (no such product, a malformed request), with the
    HTTP status it answers."""

    def __init__(
        self,
        code: str,
        detail: str,
        field: str | None = None,
        status_code: int = status.HTTP_400_BAD_REQUEST,
        errors: list[dict[str, Any]] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(code, detail, field, errors=errors, retry_after=retry_after)
        self.status_code = status_code


# The HTTP status of each domain code that is not a plain 400. Domain code never names a
# status: this table (and APIError, the API's own refusals) is the only place that does.
STATUS_BY_CODE: dict[str, int] = {
    SelectionCode.CONFLICT: status.HTTP_409_CONFLICT,
    SelectionCode.OUT_OF_STOCK: status.HTTP_409_CONFLICT,
    CheckoutCode.OUT_OF_STOCK: status.HTTP_409_CONFLICT,
    SelectionCode.UPLOAD_NOT_FOUND: status.HTTP_404_NOT_FOUND,
    UploadCode.BUSY: status.HTTP_503_SERVICE_UNAVAILABLE,
    UploadCode.MISSING: status.HTTP_410_GONE,
    CheckoutCode.LINE_NO_LONGER_VALID: status.HTTP_409_CONFLICT,
    CheckoutCode.CART_EMPTY: status.HTTP_409_CONFLICT,
    CheckoutCode.KEY_OF_ANOTHER_ORDER: status.HTTP_409_CONFLICT,
    CheckoutCode.KEY_REUSED: status.HTTP_409_CONFLICT,
    CheckoutCode.MIXED_CURRENCIES: status.HTTP_409_CONFLICT,
    CheckoutCode.PRODUCT_PREPARING: status.HTTP_503_SERVICE_UNAVAILABLE,
    CheckoutCode.CART_CURRENCY: status.HTTP_409_CONFLICT,
    CompilationCode.COMPILING: status.HTTP_503_SERVICE_UNAVAILABLE,
}


def status_for(error: ApplicationError) -> int:
    if isinstance(error, APIError):
        return error.status_code
    return STATUS_BY_CODE.get(error.code, status.HTTP_400_BAD_REQUEST)


def error_response_parts(error: ApplicationError) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The body, status and headers of the answer to ``error``, on every path of the API."""
    headers = {"Retry-After": str(error.retry_after)} if error.retry_after is not None else {}
    return error_body(error), status_for(error), headers


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


def error_body(exc: ApplicationError) -> dict[str, Any]:
    body: dict[str, Any] = {"code": exc.code, "detail": exc.detail, "field": exc.field}
    if exc.errors is not None:
        body["errors"] = exc.errors
    if isinstance(exc, SelectionProblem) and exc.repair is not None:
        body["repair"] = exc.repair  # the choices that would make the refused one fit
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
    if isinstance(exc, ApplicationError):
        if not isinstance(exc, APIError):
            logger.info("refused: %s %s (%s)", exc.code, exc.field or "", exc.detail)
        body, status_code, headers = error_response_parts(exc)
        return Response(body, status=status_code, headers=headers or None)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    # Imported here: DRF's views module reads the renderer settings, which import this one.
    from rest_framework.views import exception_handler

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


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 page, except under the API: there the error shape, like every refusal
    (a URL no route matches, ``cart/lines/x/``, would otherwise answer HTML)."""
    if request.path_info.startswith("/api/"):
        missing = exceptions.NotFound()  # DRF's words, translated by DRF
        body = {
            "code": f"request.{missing.default_code}",
            "detail": str(missing.detail),
            "field": None,
        }
        return JsonResponse(body, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)
