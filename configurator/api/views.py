"""API v1: products, their published option sets, and evaluating a selection."""

from __future__ import annotations

import functools
from typing import Any

import orjson
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import get_language, gettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import OptionSetVersion
from catalog.selectors import option_set_document
from configurator.configuring.evaluation import selection_evaluate
from configurator.configuring.payloads import evaluation_payload, product_payload
from configurator.configuring.previews import (
    CONTENT_TYPES,
    FORMATS,
    SIZES,
    decode_selection,
    preview_render,
    preview_storage,
    preview_url,
)
from configurator.configuring.selection import ImageResolver, selection_parse
from configurator.configuring.selectors import (
    published_products,
    published_version_get,
    studio_engine,
)
from configurator.designs.errors import UploadCode, UploadRefused
from configurator.designs.models import Upload
from configurator.designs.services import image_resolver, selection_storable
from configurator.designs.shoppers import shopper_from_request
from configurator.engine import SelectionError
from configurator.errors import ApplicationError
from configurator.storage import private_read, stored_file_response

from . import contract
from .contract import ANY, BODY, answers, retry_after
from .errors import APIError, error_response_parts
from .memo import evaluations
from .rendering import (
    JSON_OPTIONS,
    JSONOnlyNegotiation,
    ORJSONParser,
    ORJSONRenderer,
    json_default,
    json_too_deep,
)
from .serializers import EvaluateRequestSerializer, evaluate_request


def _language() -> str:
    return (get_language() or "vi")[:2]


def _version(sku: str, number: int | None = None) -> OptionSetVersion:
    try:
        return published_version_get(sku=sku, number=number)
    except OptionSetVersion.DoesNotExist:
        raise APIError(
            "product.not_found", f"No published product “{sku}”.", "sku", status.HTTP_404_NOT_FOUND
        ) from None


def _engine(version: OptionSetVersion):
    """The version's engine; :class:`NotCompiledYet` (503, ``Retry-After``) while compiling."""
    return studio_engine(version=version)


class ProductListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Products a shopper can design",
        operation_id="products_list",
        responses=answers({200: contract.ProductSerializer(many=True)}, *ANY),
    )
    def get(self, request: Request) -> Response:
        language = _language()
        return Response([product_payload(p, language) for p in published_products()])


class ProductDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="A product and its published option set (option-set/1)",
        responses=answers({200: contract.ProductDetailSerializer}, *ANY, 404),
    )
    def get(self, request: Request, sku: str) -> Response:
        version = _version(sku)
        return Response(
            {
                **product_payload(version.product, _language()),
                "version": version.number,
                "option_set": option_set_document(version=version),
            }
        )


class EvaluateView(APIView):
    """Valid values, reasons, repairs, price and (optionally) completion of a selection."""

    permission_classes = [AllowAny]
    throttle_scope = "evaluate"
    # Called on every choice: JSON only, no browsable page to negotiate for.
    renderer_classes = [ORJSONRenderer]
    parser_classes = [ORJSONParser]
    content_negotiation_class = JSONOnlyNegotiation

    @extend_schema(
        summary="Evaluate a selection",
        request={"application/json": EvaluateRequestSerializer},
        responses=answers(
            {
                200: OpenApiResponse(
                    contract.EvaluationSerializer, "The studio state for the selection"
                )
            },
            *BODY,
            404,
            409,
            410,
            429,
            503,
        ),
        parameters=retry_after(429, 503),
    )
    def post(self, request: Request, sku: str) -> Response:
        return Response(self.answer(request.data, sku, _lazy_resolver(request)))

    @staticmethod
    def answer(raw: Any, sku: str, resolve_image: ImageResolver | None) -> dict[str, Any]:
        """The evaluation of request body ``raw``; raises :class:`ApplicationError`."""
        data = evaluate_request(raw)
        version = _version(sku, data.get("version"))
        return EvaluateView._evaluate(data, version, _engine(version), resolve_image)

    @staticmethod
    def _evaluate(
        data: dict[str, Any],
        version: OptionSetVersion,
        engine: Any,
        resolve_image: ImageResolver | None,
    ) -> dict[str, Any]:
        language = _language()
        memo_key = None
        if not any(_is_image(engine, code) for code in data["selection"]):
            memo_key = evaluations.key(language, data)
            answer = evaluations.get(engine, memo_key)
            if answer is not None:
                return answer
        selection = selection_parse(
            engine=engine, raw=data["selection"], resolve_image=resolve_image, language=language
        )
        for i, (group, value) in enumerate(data["explain"]):
            spec = engine.groups.get(group)
            if spec is None or (spec.has_values and spec.value(value) is None):
                raise APIError("engine.V002", f"Unknown value “{group}.{value}”.", f"explain.{i}")
        evaluation = selection_evaluate(
            engine=engine,
            selection=selection,
            language=language,
            explain=[tuple(pair) for pair in data["explain"]],
        )
        payload = evaluation_payload(evaluation, version, language)
        payload["preview_url"] = preview_url(version, engine, dict(data["selection"]))
        if data["complete"]:
            try:
                completion = engine.complete(selection)
            except SelectionError:  # pragma: no cover - selection_parse refused it already
                payload["completion"] = None
            else:
                # A selection the shopper can send back: pictures as the upload ids they sent.
                payload["completion"] = selection_storable(engine, completion, data["selection"])
        if memo_key is not None:
            evaluations.put(engine, memo_key, payload)
        return payload

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        """DRF's view, with a lean path in front for the studio's own requests.

        The studio evaluates on every choice and keystroke, and DRF's request wrapping,
        negotiation and response rendering cost about as much as a cached answer. An
        anonymous JSON request without an upload (nearly all of them) is answered here:
        same throttle, same answer, same errors. Anything else (a signed-in shopper, whose
        session DRF checks for CSRF; another authentication; another content type; an
        upload; a body that is not JSON) goes through DRF unchanged.
        """
        full = super().as_view(**initkwargs)

        @functools.wraps(full)  # keeps csrf_exempt, and cls for the schema
        def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = cls._lean(request, kwargs["sku"])
            return response if response is not None else full(request, *args, **kwargs)

        return view

    @classmethod
    def _lean(cls, request: HttpRequest, sku: str) -> HttpResponse | None:
        if (
            request.method != "POST"
            or request.content_type != "application/json"
            or "HTTP_AUTHORIZATION" in request.META
            or request.user.is_authenticated
        ):
            return None
        try:
            raw = orjson.loads(request.body)
        except (orjson.JSONDecodeError, RequestDataTooBig):
            return None  # DRF's path answers the error in JSON, after the throttle
        if json_too_deep(raw):
            return None
        # Read the request once. Uploads go to DRF's path (it checks their owner) before
        # anything is counted; everything else is throttled before it is answered.
        try:
            data = evaluate_request(raw)
            version = _version(sku, data.get("version"))
            engine = _engine(version)
        except ApplicationError as error:
            if not cls._allowed(request):
                return None  # DRF's path answers 429 with the wait
            return _error_response(error)
        if any(_is_image(engine, code) for code in data["selection"]):
            return None
        if not cls._allowed(request):
            return None
        try:
            return _json_response(cls._evaluate(data, version, engine, None), 200)
        except ApplicationError as error:
            return _error_response(error)

    @classmethod
    def _allowed(cls, request: HttpRequest) -> bool:
        view = cls()
        throttles = view.get_throttles()  # they read only .user and .META: a Django request does
        return all(throttle.allow_request(request, view) for throttle in throttles)  # type: ignore[arg-type]


def _error_response(error: ApplicationError) -> HttpResponse:
    """The answer DRF's exception handler would give to ``error``."""
    body, status_code, headers = error_response_parts(error)
    response = _json_response(body, status_code)
    for name, value in headers.items():
        response[name] = value
    return response


def _json_response(body: Any, status_code: int) -> HttpResponse:
    """What DRF's path sends for ``body`` (same bytes, same ``Allow`` and ``Vary``)."""
    response = HttpResponse(
        orjson.dumps(body, default=json_default, option=JSON_OPTIONS),
        content_type="application/json",
        status=status_code,
    )
    response["Allow"] = "POST, OPTIONS"
    response["Vary"] = "Accept"
    return response


def _is_image(engine: Any, code: str) -> bool:
    spec = engine.groups.get(code)
    return spec is not None and spec.kind == "image"


def _lazy_resolver(request: Request):
    """An image resolver that looks the shopper up (and opens a session) only when needed."""

    def resolve(group: str, reference: str):
        return image_resolver(shopper_from_request(request))(group, reference)

    return resolve


class PreviewView(APIView):
    """The live preview image of a selection; stored once per version and selection."""

    permission_classes = [AllowAny]
    throttle_scope = "render"

    @extend_schema(
        summary="Preview image of a selection",
        description="The image itself from a local folder; from object storage a 302 to its "
        "public URL (a signed, short-lived URL when it shows a shopper's picture).",
        parameters=[
            OpenApiParameter("s", str, description="The selection, base64url JSON"),
            OpenApiParameter(
                "Location",
                str,
                OpenApiParameter.HEADER,
                response=[302],
                description="The stored image's URL",
            ),
            *retry_after(429, 503),
        ],
        responses=contract.preview_answers(),
    )
    def get(self, request: Request, sku: str, number: int, size: int, fmt: str) -> Any:
        """Render (once) and serve; a stored public preview is served by
        :class:`~configurator.api.middleware.CachedPreviewMiddleware` before this view."""
        if size not in SIZES or fmt not in FORMATS:
            raise APIError(
                "preview.size", f"Sizes: {list(SIZES)}; formats: {sorted(FORMATS)}.", "size"
            )
        version = _version(sku, number)
        engine = _engine(version)
        try:
            raw = decode_selection(request.query_params.get("s", "") or "e30")
        except (ValueError, UnicodeDecodeError):
            raise APIError("preview.selection", "Unreadable selection.", "s") from None
        shopper = shopper_from_request(request)
        parsed = selection_parse(
            engine=engine, raw=raw, resolve_image=image_resolver(shopper), language=_language()
        )
        uploads: dict[str, bytes] = {}
        for code, value in raw.items():
            if engine.groups[code].kind == "image" and value:
                upload = Upload.objects.get(pk=value)
                data = private_read(upload.file.name)
                if data is None:  # the file is gone: say so, never draw without it
                    raise UploadRefused(
                        UploadCode.MISSING,
                        gettext("This picture is no longer available; please upload it again."),
                        f"selection.{code}",
                    )
                uploads[code] = data
        selection = {k: v for k, v in raw.items() if k in parsed}
        name = preview_render(
            version=version,
            document=engine.presentation,
            selection=selection,
            size=size,
            fmt=fmt,
            uploads=uploads,
        )
        # The URL names the version and the selection: its picture never changes.
        privacy = "private" if uploads else "public"
        return stored_file_response(
            preview_storage(private=bool(uploads)),
            name,
            private=bool(uploads),
            content_type=CONTENT_TYPES[fmt],
            cache_control=f"{privacy}, max-age=31536000, immutable",
        )
